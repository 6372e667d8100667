import type { WidgetStrings } from "@/lib/widget/protocol";

export type Locale = "en" | "ru";

/**
 * Strings the protocol has no key for (so a workspace cannot override them):
 * the bundle still needs them for its own checks and controls.
 */
type BundleOnlyStrings = {
  removeFile: string;
  tooManyFiles: string;
  textTooLong: string;
  saveEmail: string;
  unavailable: string;
};

export type Strings = WidgetStrings & BundleOnlyStrings;

// `{max}` is filled in with the channel's limit, so a workspace's own text may use it too.
const defaults: Record<Locale, Strings> = {
  en: {
    launcherLabel: "Open chat",
    closeLabel: "Close chat",
    title: "Chat with us",
    messageLabel: "Message",
    messagePlaceholder: "Write a message…",
    send: "Send",
    attach: "Attach a file",
    agentTyping: "Typing…",
    seen: "Seen",
    sending: "Sending…",
    failed: "Failed — tap to retry",
    preChatTitle: "Before we start, tell us about you",
    nameLabel: "Name",
    emailLabel: "Email",
    start: "Start chat",
    awayEmailPrompt: "Leave your email and we will answer there.",
    awayEmailSaved: "Thanks! We will write to you by email.",
    connectionLost: "Connection lost. Reconnecting…",
    fileTooBig: "A file can be at most {max}.",
    required: "Please fill this in.",
    invalidEmail: "Please enter a valid email address.",
    removeFile: "Remove",
    tooManyFiles: "At most {max} files per message.",
    textTooLong: "A message can be at most {max} characters.",
    saveEmail: "Save",
    unavailable: "The chat is unavailable right now. Please try again later.",
  },
  ru: {
    launcherLabel: "Открыть чат",
    closeLabel: "Закрыть чат",
    title: "Напишите нам",
    messageLabel: "Сообщение",
    messagePlaceholder: "Напишите сообщение…",
    send: "Отправить",
    attach: "Прикрепить файл",
    agentTyping: "Печатает…",
    seen: "Прочитано",
    sending: "Отправка…",
    failed: "Не отправлено — нажмите, чтобы повторить",
    preChatTitle: "Прежде чем начать, расскажите о себе",
    nameLabel: "Имя",
    emailLabel: "Эл. почта",
    start: "Начать чат",
    awayEmailPrompt: "Оставьте адрес почты, и мы ответим туда.",
    awayEmailSaved: "Спасибо! Мы ответим вам по почте.",
    connectionLost: "Нет связи. Подключаемся снова…",
    fileTooBig: "Файл может быть не больше {max}.",
    required: "Заполните это поле.",
    invalidEmail: "Введите правильный адрес почты.",
    removeFile: "Убрать",
    tooManyFiles: "Не больше {max} файлов в одном сообщении.",
    textTooLong: "Сообщение может быть не длиннее {max} символов.",
    saveEmail: "Сохранить",
    unavailable: "Чат сейчас недоступен. Попробуйте позже.",
  },
};

export function detectLocale(language: string | undefined): Locale {
  return language?.toLowerCase().startsWith("ru") ? "ru" : "en";
}

/** The built-in strings of `locale` with the workspace's own (non-empty ones only) over them. */
export function resolveStrings(locale: Locale, overrides: Partial<WidgetStrings> = {}): Strings {
  const strings = { ...defaults[locale] };
  for (const key of Object.keys(overrides) as (keyof WidgetStrings)[]) {
    const value = overrides[key];
    if (typeof value === "string" && value.trim() !== "" && key in strings) strings[key] = value;
  }
  return strings;
}

export function fill(text: string, max: string | number): string {
  return text.split("{max}").join(String(max));
}
