import "@mantine/core/styles.css";
import "./app.css";
import { createTheme, MantineProvider, type CSSVariablesResolver } from "@mantine/core";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App.js";
import { connect, redeemLaunchCode } from "./connection.js";
import { installEscapeLeavesField } from "./keyboard/escapeLeavesField.js";

const nonce = document.querySelector<HTMLMetaElement>('meta[name="sightline-style-nonce"]')?.content ?? "";

const theme = createTheme({
  primaryColor: "teal",
  // Filled controls use shade 9 and, hovered, shade 8: both carry white text at 5:1 or more (WCAG AA
  // asks 4.5:1). Mantine's own teal gives 2.5:1 at its default shade, so its two darkest shades are
  // moved one step darker here. Orange (warnings, missing marks) is darkened the same way: its shade 9
  // gave 4.3:1 as text on white and under white text.
  primaryShade: 9,
  colors: {
    // Yellow ("in review") and green ("verified") status pills are light-variant text on a pale
    // ground: Mantine's shade 9 gives 2.7:1 (yellow) and 4.2:1 (green) there; these give 5.7 and 5.8.
    yellow: [
      "#fff9db",
      "#fff3bf",
      "#ffec99",
      "#ffe066",
      "#ffd43b",
      "#fcc419",
      "#fab005",
      "#f59f00",
      "#9c5e00",
      "#8a5300",
    ],
    green: [
      "#ebfbee",
      "#d3f9d8",
      "#b2f2bb",
      "#8ce99a",
      "#69db7c",
      "#51cf66",
      "#40c057",
      "#37b24d",
      "#237a36",
      "#1f6f31",
    ],
    orange: [
      "#fff4e6",
      "#ffe8cc",
      "#ffd8a8",
      "#ffc078",
      "#ffa94d",
      "#ff922b",
      "#fd7e14",
      "#e8590c",
      "#c2410c",
      "#b83d0c",
    ],
    teal: [
      "#e6fcf5",
      "#c3fae8",
      "#96f2d7",
      "#63e6be",
      "#38d9a9",
      "#20c997",
      "#12b886",
      "#0ca678",
      "#087f5b",
      "#066649",
    ],
  },
  defaultRadius: "sm",
  fontFamily: "Inter, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
  fontFamilyMonospace: "'JetBrains Mono', 'DejaVu Sans Mono', ui-monospace, monospace",
});

/**
 * Secondary ("dimmed") text and the reasons a form gives beside a field (Mantine's error colour) at
 * WCAG AA contrast on the page background in both schemes (4.5:1 or more; Mantine's own red for
 * errors gives 3.4:1 on the dark background).
 */
const contrastVariables: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    "--mantine-color-dimmed": "var(--mantine-color-gray-7)",
    "--mantine-color-error": "var(--mantine-color-red-9)",
  },
  // #b0b0b0: 4.5:1 or more also on a hovered or selected row (#3b3b3b), not only on the page (#242424).
  dark: { "--mantine-color-dimmed": "#b0b0b0", "--mantine-color-error": "var(--mantine-color-red-4)" },
});

installEscapeLeavesField();

void redeemLaunchCode().then((launchFailure) =>
  createRoot(document.getElementById("root")!).render(
    <StrictMode>
      <MantineProvider
        theme={theme}
        cssVariablesResolver={contrastVariables}
        defaultColorScheme="dark"
        getStyleNonce={() => nonce}
      >
        <App connection={connect()} launchFailure={launchFailure} />
      </MantineProvider>
    </StrictMode>,
  ),
);
