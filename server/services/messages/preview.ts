type Previewable = { text: string | null; attachments: { kind: string }[]; content?: { location?: unknown; contact?: unknown } | null };

const labels: Record<string, string> = {
  photo: "📷 Photo",
  document: "📎 File",
  video: "🎬 Video",
  voice: "🎤 Voice message",
  audio: "🎵 Audio",
  sticker: "Sticker",
};

/** The one line shown for a conversation in the inbox list. */
export function previewOf(message: Previewable): string {
  const text = message.text?.replace(/\s+/g, " ").trim();
  if (text) return text.slice(0, 140);
  const first = message.attachments[0];
  if (first) return message.attachments.length > 1 ? `${labels[first.kind] ?? "Attachment"} ×${message.attachments.length}` : (labels[first.kind] ?? "Attachment");
  if (message.content?.location) return "📍 Location";
  if (message.content?.contact) return "👤 Contact";
  return "";
}
