import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [".next/**", ".data/**", "node_modules/**", "server/db/generated/**", "next-env.d.ts", "e2e/screenshots/**", "widget/dist/**"],
  },
  {
    rules: {
      "no-console": "error",
    },
  },
  {
    // Command-line entry points talk to a person on stdout/stderr.
    files: ["server/cli/**", "scripts/**", "server/start/**", "server/config/fail.ts"],
    rules: { "no-console": "off" },
  },
];

export default config;
