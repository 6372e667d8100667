import type { VisitorAttachment, VisitorMessage } from "@/lib/widget/protocol";
import type { Entry } from "./conversation";
import { el, icon, icons, safeUrl } from "./dom";
import type { Strings } from "./strings";

export type MessageViewOptions = {
  strings: Strings;
  /** Who a bot's reply is from: the channel. */
  channelName: string;
  showAuthor: boolean;
  seen: boolean;
  retry: (key: string) => void;
  /** An image changed the list's height after it was laid out. */
  mediaLoaded: () => void;
};

function isImage(attachment: VisitorAttachment): boolean {
  return attachment.kind === "photo" || attachment.kind === "sticker" || (attachment.mimeType ?? "").startsWith("image/");
}

function attachmentView(attachment: VisitorAttachment, mediaLoaded: () => void): HTMLElement {
  const url = safeUrl(attachment.url);
  const name = attachment.fileName ?? attachment.kind;
  // Not yet uploaded (an optimistic bubble) or a URL that is not http(s): the name only.
  if (!url) return el("span", { className: "file" }, [icon(icons.file), name]);
  const link = { href: url, target: "_blank", rel: "noopener noreferrer" };
  if (isImage(attachment)) {
    const image = el("img", { className: "inline-image", attrs: { src: url, alt: attachment.fileName ?? "", loading: "lazy" }, on: { load: mediaLoaded } });
    return el("a", { attrs: link }, [image]);
  }
  return el("a", { className: "file", attrs: { ...link, download: attachment.fileName ?? "" } }, [icon(icons.file), name]);
}

function authorView(message: VisitorMessage, channelName: string): HTMLElement {
  const avatar = safeUrl(message.agent?.avatarUrl);
  return el("div", { className: "author" }, [
    avatar ? el("img", { className: "avatar", attrs: { src: avatar, alt: "" } }) : null,
    el("span", { text: message.agent?.name ?? channelName }),
  ]);
}

/** One message as a list item; all of its text is set as text, whoever wrote it. */
export function messageView(entry: Entry, options: MessageViewOptions): HTMLDivElement {
  const { message, status } = entry;
  const mine = message.author === "visitor";
  const attachments = message.attachments ?? [];
  const bubble = el("div", { className: "bubble" }, [
    message.text ? el("div", { className: "text", text: message.text }) : null,
    attachments.length > 0 ? el("div", { className: "files" }, attachments.map((attachment) => attachmentView(attachment, options.mediaLoaded))) : null,
  ]);
  const { strings } = options;
  let footer: HTMLElement | null = null;
  if (status === "sending") footer = el("div", { className: "status", text: strings.sending });
  else if (status === "failed") {
    footer = el("button", { className: "status failed", text: strings.failed, attrs: { type: "button" }, on: { click: () => options.retry(entry.key) } });
  } else if (options.seen) footer = el("div", { className: "status", text: strings.seen });
  return el("div", { className: mine ? "row mine" : "row" }, [
    !mine && options.showAuthor ? authorView(message, options.channelName) : null,
    bubble,
    footer,
    // The server's reason is written for people (a file type refused, a limit reached).
    status === "failed" && entry.error ? el("div", { className: "status-detail", text: entry.error }) : null,
  ]);
}
