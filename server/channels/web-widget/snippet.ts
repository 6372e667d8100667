import { processPublicUrl } from "@/lib/env";

/**
 * The embed code an admin pastes into their site's pages: the widget bundle
 * from this product's public address, told which channel it is. `publicId` is
 * url-safe base64, so it needs no escaping inside the attribute.
 */
export function widgetSnippet(publicId: string): string {
  return `<script src="${processPublicUrl()}/widget.js" data-channel="${publicId}" async></script>`;
}
