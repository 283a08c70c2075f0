// Lint rules, including the runtime boundaries of STYLE.md rule 1: shared/ is
// pure, renderer/ never reaches Node or electron/, services never import Electron.
import js from "@eslint/js";
import globals from "globals";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

const nodeBuiltins = [
  "node:*",
  "fs",
  "fs/promises",
  "path",
  "os",
  "crypto",
  "child_process",
  "http",
  "net",
  "url",
  "util",
  "stream",
];

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "out/**", "tests/e2e/screenshots/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", ignoreRestSiblings: true }],
      "@typescript-eslint/no-require-imports": "off",
      "no-control-regex": "off",
    },
  },
  {
    files: ["shared/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [...nodeBuiltins, "electron", "**/electron/**", "**/renderer/**", "react", "dexie"].map(
            (group) => ({ group: [group], message: "shared/ is pure: no Node, DOM, Electron or UI code" }),
          ),
        },
      ],
    },
  },
  {
    files: ["renderer/**/*.ts", "renderer/**/*.tsx"],
    // The build configuration runs in Node, not in the page.
    ignores: ["renderer/vite.config.ts"],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
      "no-restricted-imports": [
        "error",
        {
          patterns: [...nodeBuiltins, "electron", "**/electron/**"].map((group) => ({
            group: [group],
            message: "the renderer knows nothing of Node or Electron",
          })),
        },
      ],
    },
  },
  {
    files: ["electron/services/**/*.ts", "electron/host/**/*.ts", "electron/cli/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "electron",
              message: "services take Electron objects through their constructor (import type only)",
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
);
