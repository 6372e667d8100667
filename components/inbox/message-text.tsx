import type { Mention } from "@/lib/messages/content";
import { splitMentions } from "@/lib/messages/mentions";

/** A message's text as written; in a note, the teammates it mentions as chips. */
export function MessageText({ text, mentions }: { text: string; mentions?: Mention[] }) {
  if (!mentions?.length) return <p className="whitespace-pre-wrap break-words">{text}</p>;
  return (
    <p className="whitespace-pre-wrap break-words">
      {splitMentions(text, mentions).map((part, index) =>
        "userId" in part ? (
          <span key={index} data-testid="mention-chip" data-user-id={part.userId} className="rounded bg-amber-200/80 px-1 font-medium text-amber-950 dark:bg-amber-800/70 dark:text-amber-50">
            {part.text}
          </span>
        ) : (
          part.text
        ),
      )}
    </p>
  );
}
