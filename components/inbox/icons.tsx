/** Small inline icons (no icon font or emoji: they must render the same everywhere). */
const base = { width: 14, height: 14, viewBox: "0 0 24 24", fill: "none", stroke: "currentColor", strokeWidth: 2, strokeLinecap: "round" as const, strokeLinejoin: "round" as const, "aria-hidden": true };

export const ClockIcon = () => (
  <svg {...base}>
    <circle cx="12" cy="12" r="9" />
    <path d="M12 7v5l3 2" />
  </svg>
);
export const AlertIcon = () => (
  <svg {...base}>
    <path d="M12 3 2 21h20L12 3z" />
    <path d="M12 10v4M12 18h.01" />
  </svg>
);
export const CheckIcon = () => (
  <svg {...base}>
    <path d="m5 12 5 5 9-10" />
  </svg>
);
export const PaperclipIcon = () => (
  <svg {...base}>
    <path d="m21 12-8.5 8.5a5 5 0 0 1-7-7L14 5a3.5 3.5 0 0 1 5 5l-8.5 8.5a2 2 0 0 1-3-3L15 8" />
  </svg>
);
export const FileIcon = () => (
  <svg {...base}>
    <path d="M14 3H6v18h12V7l-4-4z" />
    <path d="M14 3v4h4" />
  </svg>
);
export const PinIcon = () => (
  <svg {...base}>
    <path d="M12 21s7-6.5 7-12a7 7 0 0 0-14 0c0 5.5 7 12 7 12z" />
    <circle cx="12" cy="9" r="2.5" />
  </svg>
);
export const PersonIcon = () => (
  <svg {...base}>
    <circle cx="12" cy="8" r="4" />
    <path d="M4 21a8 8 0 0 1 16 0" />
  </svg>
);

/** The phone layout's icons, a little larger (they stand alone in touch-sized buttons). */
const large = { ...base, width: 22, height: 22 };

export const ChevronLeftIcon = () => (
  <svg {...large}>
    <path d="m15 5-7 7 7 7" />
  </svg>
);

export const ContactIcon = () => (
  <svg {...large}>
    <circle cx="12" cy="8" r="4" />
    <path d="M4 21a8 8 0 0 1 16 0" />
  </svg>
);
