"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useTRPC } from "@/lib/trpc/client";

type Support = "checking" | "unsupported" | "insecure" | "ready";

/** The VAPID public key (base64url) as PushManager.subscribe wants it. */
function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64url.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(base64url.length / 4) * 4, "="));
  return Uint8Array.from(text, (char) => char.charCodeAt(0));
}

/** The service worker that shows pushes (public/sw.js), registered once per origin. */
async function registration(): Promise<ServiceWorkerRegistration> {
  return (await navigator.serviceWorker.getRegistration("/")) ?? navigator.serviceWorker.register("/sw.js", { scope: "/" });
}

/** What this browser can do, and whether it already has a subscription. */
async function detect(): Promise<{ support: Support; endpoint: string | null; permission: NotificationPermission }> {
  if (!window.isSecureContext) return { support: "insecure", endpoint: null, permission: "default" };
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) return { support: "unsupported", endpoint: null, permission: "default" };
  try {
    const subscription = await (await registration()).pushManager.getSubscription();
    return { support: "ready", endpoint: subscription?.endpoint ?? null, permission: Notification.permission };
  } catch {
    return { support: "unsupported", endpoint: null, permission: Notification.permission };
  }
}

/**
 * Push on the device I am on: on (this browser's subscription is registered for me in this
 * workspace) or off, and why it cannot be on (no support, not https, blocked in the browser, no
 * VAPID keys on the server). The browser asks for permission when I switch it on, not before.
 */
export function PushDevice() {
  const t = useTranslations("notifications.push_device");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [support, setSupport] = useState<Support>("checking");
  const [endpoint, setEndpoint] = useState<string | null>(null);
  const [permission, setPermission] = useState<NotificationPermission>("default");

  useEffect(() => {
    void detect().then((found) => {
      setSupport(found.support);
      setEndpoint(found.endpoint);
      setPermission(found.permission);
    });
  }, []);

  const status = useQuery(trpc.notifications.pushStatus.queryOptions(endpoint ? { endpoint } : {}, { enabled: support === "ready" }));
  const refresh = () => void queryClient.invalidateQueries(trpc.notifications.pushStatus.pathFilter());
  const subscribe = useMutation(trpc.notifications.subscribePush.mutationOptions({ onSettled: refresh }));
  const unsubscribe = useMutation(trpc.notifications.unsubscribePush.mutationOptions({ onSettled: refresh }));
  const toggle = useMutation({
    mutationFn: async (on: boolean) => {
      const found = await registration();
      if (!on) {
        const subscription = await found.pushManager.getSubscription();
        if (subscription) {
          await unsubscribe.mutateAsync({ endpoint: subscription.endpoint });
          await subscription.unsubscribe();
        }
        setEndpoint(null);
        return;
      }
      const granted = await Notification.requestPermission();
      setPermission(granted);
      if (granted !== "granted") return;
      const publicKey = status.data?.publicKey;
      if (!publicKey) return;
      const subscription = await found.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) });
      const json = subscription.toJSON() as { endpoint: string; keys: { p256dh: string; auth: string } };
      await subscribe.mutateAsync({ endpoint: json.endpoint, keys: json.keys });
      setEndpoint(subscription.endpoint);
    },
  });

  const on = Boolean(endpoint && status.data?.subscribedHere);
  const state =
    support === "checking" || (support === "ready" && status.isPending)
      ? null
      : support !== "ready"
        ? t(support)
        : !status.data?.publicKey
          ? t("serverOff")
          : permission === "denied"
            ? t("denied")
            : on
              ? t("on")
              : t("off");
  return (
    <section aria-labelledby="push-device" className="flex flex-col gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5 dark:border-slate-800 dark:bg-slate-900">
      <h2 id="push-device" className="text-sm font-semibold">
        {t("title")}
      </h2>
      <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="push-device-state">
        {state ?? "…"}
        {status.data ? ` ${t("devices", { count: status.data.devices })}` : ""}
      </p>
      {support === "ready" && status.data?.publicKey && permission !== "denied" ? (
        <div>
          <Button type="button" variant={on ? "secondary" : "primary"} disabled={toggle.isPending} onClick={() => toggle.mutate(!on)} className="max-md:min-h-11">
            {on ? t("disable") : t("enable")}
          </Button>
        </div>
      ) : null}
      {toggle.isError ? <Alert tone="error">{t("failed", { reason: toggle.error.message })}</Alert> : null}
    </section>
  );
}
