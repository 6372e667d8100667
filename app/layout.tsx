import type { Metadata, Viewport } from "next";
import { NextIntlClientProvider } from "next-intl";
import { getLocale, getMessages } from "next-intl/server";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { TimeZoneCookie } from "@/components/i18n/time-zone-cookie";
import { ServiceWorkerRegistration } from "@/components/pwa/service-worker-registration";
import { messagesFor } from "@/lib/i18n/messages";
import { TRPCReactProvider } from "@/lib/trpc/client";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Support Chat", template: "%s · Support Chat" },
  description: "The open support desk: Telegram customers, live agent inbox, typed API.",
  // The manifest link comes from app/manifest.ts.
  icons: { icon: [{ url: "/icons/icon.svg", type: "image/svg+xml" }], apple: "/icons/apple-touch-icon.png" },
  appleWebApp: { capable: true, title: "Support Chat", statusBarStyle: "default" },
};

/** The browser's and the installed app's bars in the page's own background, light or dark. */
export const viewport: Viewport = {
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#ffffff" },
    { media: "(prefers-color-scheme: dark)", color: "#020617" },
  ],
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page is rendered per request: its scripts carry that request's CSP nonce (proxy.ts), which a page built ahead could not.
  await connection();
  const [locale, messages] = await Promise.all([getLocale(), getMessages()]);
  return (
    <html lang={locale}>
      <body className="min-h-dvh font-sans">
        {/* The browser gets the agent side's messages; the settings pages add theirs (see their layout). */}
        <NextIntlClientProvider messages={messagesFor(messages, "agent")}>
          <TimeZoneCookie />
          <ServiceWorkerRegistration />
          <TRPCReactProvider>{children}</TRPCReactProvider>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
