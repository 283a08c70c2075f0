import "@mantine/core/styles.css";
import "./app.css";
import { createTheme, MantineProvider } from "@mantine/core";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App.js";
import { connect, redeemLaunchCode } from "./connection.js";

const nonce = document.querySelector<HTMLMetaElement>('meta[name="sightline-style-nonce"]')?.content ?? "";

const theme = createTheme({
  primaryColor: "teal",
  defaultRadius: "sm",
  fontFamily: "Inter, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
  fontFamilyMonospace: "'JetBrains Mono', 'DejaVu Sans Mono', ui-monospace, monospace",
});

void redeemLaunchCode().then((launchFailure) =>
  createRoot(document.getElementById("root")!).render(
    <StrictMode>
      <MantineProvider theme={theme} defaultColorScheme="dark" getStyleNonce={() => nonce}>
        <App connection={connect()} launchFailure={launchFailure} />
      </MantineProvider>
    </StrictMode>,
  ),
);
