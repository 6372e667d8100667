/**
 * All of the widget's CSS, inside its shadow root. The host page's selectors
 * cannot reach in, but they do reach the host element (a page's `* { … }`
 * wins over `:host`), and what it inherits would flow in: so `.root` resets
 * everything again (`all: initial`) before setting its own font and colours.
 * `--accent` and `--on-accent` are set from the channel's colour at run time.
 */
export const styles = `
:host { all: initial; }
[hidden] { display: none !important; }
.root {
  all: initial;
  --surface: #ffffff; --surface-2: #f1f3f5; --text: #1b1f24; --muted: #57606a; --border: #d0d7de;
  --danger: #b42318; --focus: #0b57d0; --shadow: 0 12px 40px rgba(0, 0, 0, 0.18);
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--text); -webkit-font-smoothing: antialiased;
}
.root[data-theme="dark"] {
  --surface: #1d2125; --surface-2: #2c333a; --text: #e6edf3; --muted: #a6b0bb; --border: #444c56;
  --danger: #ff8b80; --focus: #8ab4f8; --shadow: 0 12px 40px rgba(0, 0, 0, 0.6);
}
@media (prefers-color-scheme: dark) {
  .root:not([data-theme="light"]) {
    --surface: #1d2125; --surface-2: #2c333a; --text: #e6edf3; --muted: #a6b0bb; --border: #444c56;
    --danger: #ff8b80; --focus: #8ab4f8; --shadow: 0 12px 40px rgba(0, 0, 0, 0.6);
  }
}
*, *::before, *::after { box-sizing: border-box; }
button, input, textarea { font: inherit; color: inherit; }
button { cursor: pointer; }
:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
svg { width: 22px; height: 22px; fill: currentColor; display: block; }
.sr-only { position: absolute; width: 1px; height: 1px; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }

.launcher {
  position: fixed; bottom: 20px; right: 20px; z-index: 2147483000; width: 56px; height: 56px; border-radius: 50%;
  border: 0; background: var(--accent); color: var(--on-accent); box-shadow: 0 4px 16px rgba(0, 0, 0, 0.25);
  display: flex; align-items: center; justify-content: center; transition: transform 0.15s ease;
}
.launcher svg { width: 28px; height: 28px; }
.launcher:hover { transform: scale(1.06); }
.root[data-position="left"] .launcher { right: auto; left: 20px; }

.panel {
  position: fixed; bottom: 88px; right: 20px; z-index: 2147483001; width: 370px;
  height: min(620px, calc(100vh - 108px)); display: flex; flex-direction: column; overflow: hidden;
  background: var(--surface); border: 1px solid var(--border); border-radius: 14px; box-shadow: var(--shadow);
}
.root[data-position="left"] .panel { right: auto; left: 20px; }

.header { display: flex; align-items: center; gap: 8px; padding: 14px 10px 14px 16px; background: var(--accent); color: var(--on-accent); }
.title { flex: 1; margin: 0; font-size: 16px; font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.icon-button {
  flex: none; width: 40px; height: 40px; border: 0; border-radius: 8px; background: transparent; color: inherit;
  display: flex; align-items: center; justify-content: center;
}
.icon-button:hover { background: rgba(127, 127, 127, 0.18); }
.header .icon-button:focus-visible { outline-color: currentColor; }

.banner { padding: 6px 16px; font-size: 13px; background: var(--surface-2); color: var(--muted); border-bottom: 1px solid var(--border); }
.body { flex: 1; overflow-y: auto; padding: 16px 14px 8px; display: flex; flex-direction: column; gap: 10px; overscroll-behavior: contain; }
/* The away and pre-chat slots take no gap while they hold nothing; the log stays, so a live region is there before its first message. */
.body > :empty:not(.log) { display: none; }
.log { display: flex; flex-direction: column; gap: 6px; margin: 0; padding: 0; list-style: none; }

.row { display: flex; flex-direction: column; align-items: flex-start; max-width: 100%; }
.row.mine { align-items: flex-end; }
.author { display: flex; align-items: center; gap: 6px; margin: 6px 0 2px; font-size: 12px; color: var(--muted); }
.avatar { width: 22px; height: 22px; border-radius: 50%; object-fit: cover; }
.bubble {
  max-width: 82%; padding: 8px 12px; border-radius: 16px 16px 16px 4px; background: var(--surface-2);
  white-space: pre-wrap; overflow-wrap: anywhere;
}
.mine .bubble { border-radius: 16px 16px 4px 16px; background: var(--accent); color: var(--on-accent); }
.bubble a { color: inherit; }
.bubble .text + .files, .bubble .files + .text { margin-top: 6px; }
.files { display: flex; flex-direction: column; gap: 6px; }
.inline-image { display: block; max-width: 100%; max-height: 240px; border-radius: 10px; }
.file { display: inline-flex; align-items: center; gap: 6px; }
a.file { text-decoration: underline; }
.file svg { width: 18px; height: 18px; flex: none; }
.status { margin-top: 2px; font-size: 12px; color: var(--muted); }
.status.failed { color: var(--danger); background: none; border: 0; padding: 0; text-decoration: underline; text-align: right; }
.status-detail { font-size: 12px; color: var(--danger); max-width: 82%; text-align: right; }
.greeting .bubble, .note { background: var(--surface-2); }
.note { padding: 10px 12px; border-radius: 12px; display: flex; flex-direction: column; gap: 8px; }
.typing { font-size: 13px; color: var(--muted); padding: 0 2px; }

.composer { border-top: 1px solid var(--border); padding: 8px 10px 10px; display: flex; flex-direction: column; gap: 6px; }
.composer-row { display: flex; align-items: flex-end; gap: 4px; }
.composer textarea {
  flex: 1; min-height: 40px; max-height: 140px; resize: none; padding: 9px 12px; border: 1px solid var(--border);
  border-radius: 20px; background: var(--surface); line-height: 1.4;
}
.composer textarea::placeholder, input::placeholder { color: var(--muted); opacity: 1; }
.composer .send { border-radius: 50%; background: var(--accent); color: var(--on-accent); }
.composer .send:hover { background: var(--accent); filter: brightness(0.92); }
.chips { display: flex; flex-wrap: wrap; gap: 6px; }
.chip { display: inline-flex; align-items: center; gap: 2px; max-width: 100%; padding: 2px 2px 2px 10px; border-radius: 14px; background: var(--surface-2); font-size: 13px; }
.chip span { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.chip .icon-button { width: 28px; height: 28px; }
.chip svg { width: 16px; height: 16px; }
.error { font-size: 13px; color: var(--danger); }

.form { display: flex; flex-direction: column; gap: 12px; }
.form h3 { margin: 0; font-size: 15px; font-weight: 600; }
.field { display: flex; flex-direction: column; gap: 4px; }
.field label { font-size: 13px; font-weight: 600; }
.field input { padding: 8px 10px; border: 1px solid var(--border); border-radius: 8px; background: var(--surface); }
.field input[aria-invalid="true"] { border-color: var(--danger); }
.primary { align-self: flex-start; padding: 8px 16px; border: 0; border-radius: 8px; background: var(--accent); color: var(--on-accent); font-weight: 600; }

@media (max-width: 480px) {
  .panel { inset: 0; width: 100%; height: 100%; border: 0; border-radius: 0; }
  .root[data-position="left"] .panel { left: 0; }
  .root[data-open] .launcher { display: none; }
  .composer textarea, .field input { font-size: 16px; }
}
@media print {
  .root { display: none; }
}
@media (prefers-reduced-motion: reduce) {
  .launcher { transition: none; }
}
`;
