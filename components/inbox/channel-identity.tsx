import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { httpLink, widgetVisitorDetails } from "./identity-details";

export type Identity = { channelId: string; externalId: string; username: string | null; details: unknown };

function Fact({ label, children, mono }: { label: string; children: ReactNode; mono?: boolean }) {
  return (
    <div>
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className={`break-words ${mono ? "font-mono text-xs" : ""}`}>{children}</dd>
    </div>
  );
}

/** A customer-given URL: text, and a link only when it is plain http(s) — never `javascript:` or the like. */
function VisitorUrl({ value }: { value: string }) {
  const href = httpLink(value);
  if (!href) return <span className="[overflow-wrap:anywhere]">{value}</span>;
  return (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow" className="text-sky-700 underline [overflow-wrap:anywhere] dark:text-sky-400">
      {value}
    </a>
  );
}

/**
 * Who the customer is on this conversation's channel, as the channel knows them:
 * for Telegram the user id and @username, for the website widget the visitor's
 * page, referrer, browser, verified id and pre-chat answers. Rows of a `<dl>`.
 */
export function ChannelIdentity({
  kind,
  identity,
  email,
  externalChatId,
  externalThreadId,
  fieldLabels = {},
}: {
  kind: string;
  identity: Identity | undefined;
  email: string | null;
  externalChatId: string;
  externalThreadId: string | null;
  /** The widget's pre-chat field labels by key, as the admin named them. */
  fieldLabels?: Record<string, string>;
}) {
  const t = useTranslations("inbox.contact");
  if (kind === "telegram") {
    return (
      <>
        <Fact label={t("telegramId")} mono>
          {identity?.externalId ?? "—"}
        </Fact>
        {identity?.username ? <Fact label={t("telegramUsername")}>@{identity.username}</Fact> : null}
        <Fact label={t("chat")} mono>
          {externalChatId}
          {externalThreadId ? ` · ${t("topic", { id: externalThreadId })}` : ""}
        </Fact>
        {email ? <Fact label={t("email")}>{email}</Fact> : null}
      </>
    );
  }
  if (kind === "web_widget") {
    const visitor = widgetVisitorDetails(identity?.details);
    return (
      <>
        <Fact label={t("email")}>{email ?? "—"}</Fact>
        <Fact label={t("widget.verifiedId")}>{visitor.verifiedId ? <span className="font-mono text-xs">{visitor.verifiedId}</span> : t("widget.notVerified")}</Fact>
        {visitor.pageUrl ? (
          <Fact label={t("widget.pageUrl")}>
            <VisitorUrl value={visitor.pageUrl} />
          </Fact>
        ) : null}
        {visitor.referrer ? (
          <Fact label={t("widget.referrer")}>
            <VisitorUrl value={visitor.referrer} />
          </Fact>
        ) : null}
        {visitor.browser ? <Fact label={t("widget.browser")}>{visitor.browser}</Fact> : null}
        {visitor.locale ? <Fact label={t("widget.locale")}>{visitor.locale}</Fact> : null}
        {visitor.fields.map(([label, value], index) => (
          <Fact key={`${index}-${label}`} label={fieldLabels[label] ?? label}>
            {value}
          </Fact>
        ))}
        <Fact label={t("widget.visitorId")} mono>
          {identity?.externalId ?? "—"}
        </Fact>
      </>
    );
  }
  return (
    <>
      <Fact label={t("externalId")} mono>
        {identity?.externalId ?? "—"}
      </Fact>
      {email ? <Fact label={t("email")}>{email}</Fact> : null}
    </>
  );
}
