import { useTranslations } from "next-intl";

const svg = { viewBox: "0 0 24 24", fill: "none", stroke: "currentColor", strokeWidth: 2, strokeLinecap: "round" as const, strokeLinejoin: "round" as const, "aria-hidden": true };

/** A channel kind's icon (a paper plane for Telegram, a chat bubble on a page for the widget); decorative: the kind is always said in text next to it. */
export function ChannelKindIcon({ kind, size = 14 }: { kind: string; size?: number }) {
  if (kind === "telegram") {
    return (
      <svg {...svg} width={size} height={size}>
        <path d="M21 4 3 11l6 2.5L19 7l-7.5 8 6.5 5z" />
      </svg>
    );
  }
  if (kind === "web_widget") {
    return (
      <svg {...svg} width={size} height={size}>
        <rect x="3" y="4" width="18" height="16" rx="2" />
        <path d="M3 8h18" />
        <path d="M12 13h5v3.5h-2l-1.5 1.5-1.5-1.5z" />
      </svg>
    );
  }
  return (
    <svg {...svg} width={size} height={size}>
      <circle cx="12" cy="12" r="8" />
    </svg>
  );
}

/**
 * A conversation's channel: the kind's icon and the channel's name, with the
 * kind said to screen readers (and on hover), so a list row stays short.
 */
export function ChannelTag({ channel }: { channel: { kind: string; name: string } }) {
  const t = useTranslations("common");
  const kind = t("channelKind", { kind: channel.kind });
  return (
    <span className="inline-flex min-w-0 max-w-full items-center gap-1 align-bottom" title={kind} data-testid="channel-tag">
      <ChannelKindIcon kind={channel.kind} size={12} />
      <span className="sr-only">{kind}:</span>
      <span className="truncate">{channel.name}</span>
    </span>
  );
}
