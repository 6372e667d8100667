// The server forgets a visitor's typing after a few seconds, so while it goes on it is said again this often.
const visitorRepeatMs = 3_000;
// An agent's client that vanished mid-word never says "stopped": the indicator goes by itself.
const agentSilenceMs = 8_000;

/** The visitor's typing, sent at most once per 3 s while it goes on, and its end once. */
export function visitorTyping(emit: (typing: boolean) => void) {
  let lastSent = 0;
  return {
    input(): void {
      const now = Date.now();
      if (now - lastSent < visitorRepeatMs) return;
      lastSent = now;
      emit(true);
    },
    stop(): void {
      if (lastSent === 0) return;
      lastSent = 0;
      emit(false);
    },
  };
}

/** The team's typing indicator: on with each `typing: true`, off with `false` or 8 s without news. */
export function agentTyping(show: (typing: boolean) => void): (typing: boolean) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (typing) => {
    clearTimeout(timer);
    show(typing);
    if (typing) timer = setTimeout(() => show(false), agentSilenceMs);
  };
}
