const fallback = "#2563eb";

function luminance(hex: string): number {
  const channel = (offset: number) => {
    const value = parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/**
 * The channel's colour and the text colour to put on it: black or white,
 * whichever has the higher WCAG contrast, so any colour an admin picks stays
 * readable in the header, the launcher and the visitor's bubbles.
 */
export function accentColors(color: string): { accent: string; onAccent: string } {
  const accent = /^#[0-9a-f]{6}$/i.test(color) ? color : fallback;
  const light = luminance(accent);
  const onWhite = 1.05 / (light + 0.05);
  const onBlack = (light + 0.05) / 0.05;
  return { accent, onAccent: onWhite >= onBlack ? "#ffffff" : "#000000" };
}
