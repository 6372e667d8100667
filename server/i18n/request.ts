import { getRequestConfig } from "next-intl/server";
import { cookies, headers } from "next/headers";
import { isConsoleLocale, negotiateLocale, type ConsoleLocale } from "@/lib/i18n/locales";
import { consoleMessages } from "@/lib/i18n/messages";
import { currentUser } from "@/server/auth/session";
import { isTimeZone } from "@/lib/time-zone";


/**
 * The console's language is the signed-in user's choice (User.locale), else the
 * browser's. Dates are shown in the browser's time zone, which the page reports
 * in the `tz` cookie (UTC until it has).
 */
export default getRequestConfig(async () => {
  const user = await currentUser();
  const locale: ConsoleLocale = isConsoleLocale(user?.locale) ? user.locale : negotiateLocale((await headers()).get("accept-language"));
  const zone = (await cookies()).get("tz")?.value;
  return {
    locale,
    messages: await consoleMessages[locale](),
    timeZone: isTimeZone(zone) ? zone : "UTC",
  };
});
