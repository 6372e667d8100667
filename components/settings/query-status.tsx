import type { ReactNode } from "react";
import { Alert } from "@/components/ui/alert";

/**
 * The states of a list a settings page loads: loading, failed to load (with a
 * retry when `retryLabel` is given) and, when the caller says so, empty.
 */
export function QueryStatus({
  query,
  loading,
  failed,
  retryLabel,
  empty,
}: {
  query: { isLoading: boolean; isError: boolean; refetch: () => unknown };
  loading: string;
  failed: string;
  retryLabel?: string;
  /** The empty-state text, when the loaded list is empty; otherwise nothing. */
  empty?: ReactNode;
}) {
  return (
    <>
      {query.isLoading ? (
        <p className="text-sm text-slate-500" role="status">
          {loading}
        </p>
      ) : null}
      {query.isError ? (
        <Alert tone="error">
          {failed}
          {retryLabel ? (
            <>
              {" "}
              <button type="button" className="underline" onClick={() => void query.refetch()}>
                {retryLabel}
              </button>
            </>
          ) : null}
        </Alert>
      ) : null}
      {empty ? <p className="text-sm text-slate-500">{empty}</p> : null}
    </>
  );
}
