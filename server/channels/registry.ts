import type { ChannelAdapter } from "./contract";
import { telegramAdapter } from "./telegram/adapter";
import { webWidgetAdapter } from "./web-widget/adapter";

/**
 * Every channel kind the product speaks, by the name stored in `Channel.type`:
 * the one place that lists them. Nothing outside a kind's own folder and this
 * file names a kind.
 */
const builtIn = [telegramAdapter, webWidgetAdapter] as const;

/** What `describe` answers, for every built-in kind: `channels.list` items carry it as `details`. */
export type ChannelDetails = Awaited<ReturnType<(typeof builtIn)[number]["describe"]>>;

const adapters = new Map<string, ChannelAdapter>(builtIn.map((adapter) => [adapter.kind, adapter as ChannelAdapter]));

export function adapterFor(kind: string): ChannelAdapter {
  const adapter = adapters.get(kind);
  if (!adapter) throw new Error(`no adapter for channel kind ${kind}`);
  return adapter;
}

/** A kind added at run time: the tests' fake channel proves a kind needs nothing else. */
export function registerAdapter(adapter: ChannelAdapter): () => void {
  adapters.set(adapter.kind, adapter);
  return () => void adapters.delete(adapter.kind);
}

export const channelKinds = (): string[] => [...adapters.keys()];
