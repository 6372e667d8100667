"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import type { Attachment } from "@/lib/messages/content";
import { FileIcon, PaperclipIcon } from "./icons";

/**
 * One file of a message. Pictures, players and downloads all come through the
 * file route, which serves only passive types inline and everything else as a
 * sandboxed download; a file that claims to be a picture or a recording but is
 * not one (the browser cannot show it) becomes a plain download link, never a
 * page of its own.
 */
export function AttachmentView({ slug, messageId, index, attachment, pending }: { slug: string; messageId: string; index: number; attachment: Attachment; pending: boolean }) {
  const t = useTranslations("inbox.thread");
  const [unshowable, setUnshowable] = useState(false);
  if (pending) return <span className="flex items-center gap-1 text-xs opacity-80"><PaperclipIcon /> {attachment.fileName ?? attachment.kind}</span>;
  const url = `/api/t/${slug}/files/${messageId}/${index}`;
  const name = attachment.fileName ?? (attachment.kind === "photo" || attachment.kind === "sticker" ? t("photo") : t("file"));
  const failed = () => setUnshowable(true);
  if (!unshowable && (attachment.kind === "photo" || attachment.kind === "sticker")) {
    return (
      <a href={url} target="_blank" rel="noopener noreferrer" className="block overflow-hidden rounded-lg">
        {/* eslint-disable-next-line @next/next/no-img-element -- files come through the authenticated proxy, not next/image */}
        <img src={url} alt={name} loading="lazy" onError={failed} className="max-h-60 w-full object-cover" />
      </a>
    );
  }
  if (!unshowable && (attachment.kind === "voice" || attachment.kind === "audio")) return <audio controls preload="none" src={url} onError={failed} className="w-56" />;
  if (!unshowable && attachment.kind === "video") return <video controls preload="none" src={url} onError={failed} className="max-h-60 rounded-lg" />;
  return (
    <a href={url} download={attachment.fileName ?? true} title={unshowable ? t("cannotShow") : undefined} className="flex items-center gap-1.5 rounded-lg bg-black/5 px-2 py-1.5 underline-offset-2 hover:underline dark:bg-white/10">
      <FileIcon /> {name}
      {unshowable ? <span className="text-xs opacity-75">({t("cannotShow")})</span> : null}
    </a>
  );
}
