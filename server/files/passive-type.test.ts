import { describe, expect, it } from "vitest";
import { hostileHtml, hostileSvg, tinyJpeg, tinyPng } from "@/server/test/sample-files";
import { detectFileType } from "./passive-type";

const hex = (value: string) => Buffer.from(value.replace(/\s/g, ""), "hex");
/** The first bytes of each format, as its container starts, padded as a real file would go on. */
const head = (...parts: (string | Buffer)[]) => Buffer.concat([...parts.map((part) => (typeof part === "string" ? Buffer.from(part, "latin1") : part)), Buffer.alloc(400)]);

describe("a file's type, from its bytes", () => {
  it.each([
    ["JPEG", tinyJpeg, "image/jpeg"],
    ["PNG", tinyPng, "image/png"],
    ["WebP", head("RIFF", hex("24000000"), "WEBPVP8 "), "image/webp"],
    ["GIF", head("GIF89a\x01\x00\x01\x00\x80\x00\x00"), "image/gif"],
    ["MP4", head(hex("00000018"), "ftypisom", hex("00000200"), "isomiso2"), "video/mp4"],
    ["WebM", head(hex("1a45dfa3 9f 4286 81 01 42f7 81 01 42f2 81 04 42f3 81 08 4282 84 7765626d 4287 81 04 4285 81 02")), "video/webm"],
    ["OGG Opus (a Telegram voice note)", head("OggS", Buffer.alloc(24), "OpusHead"), "audio/ogg"],
    ["OGG Vorbis", head("OggS", Buffer.alloc(24), "\x01vorbis"), "audio/ogg"],
    ["MP3", head(hex("fffb9064")), "audio/mpeg"],
    ["M4A", head(hex("00000018"), "ftypM4A ", hex("00000000"), "M4A isom"), "audio/mp4"],
  ])("%s is a passive type, shown inline", async (_, bytes, mimeType) => {
    expect(await detectFileType(bytes)).toEqual({ mimeType, inline: true });
  });

  it.each([
    ["HTML", hostileHtml, "application/octet-stream"],
    ["SVG with a script", hostileSvg, "application/octet-stream"],
    ["PDF", Buffer.from("%PDF-1.7\n"), "application/pdf"],
    ["a Windows program", head("MZ\x90\x00"), "application/x-msdownload"],
    ["QuickTime (not on the list)", head(hex("00000014"), "ftypqt  ", hex("00000200"), "qt  "), "video/quicktime"],
    ["unknown bytes", Buffer.from("just some text"), "application/octet-stream"],
    ["nothing at all", Buffer.alloc(0), "application/octet-stream"],
  ])("%s is never shown: it keeps what it is, to be downloaded", async (_, bytes, mimeType) => {
    expect(await detectFileType(bytes)).toEqual({ mimeType, inline: false });
  });

  it("decides from the first bytes only, so a picture with a page appended is still only a picture", async () => {
    expect(await detectFileType(Buffer.concat([tinyJpeg, hostileHtml]))).toEqual({ mimeType: "image/jpeg", inline: true });
  });
});
