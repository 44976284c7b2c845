// The console's entry: the desktop bridge when the app's preload exposed one, else the headless
// console's HTTP API with the console token.

import { createRoot } from 'react-dom/client';
import { DESKTOP_BRIDGE_KEY, clientFromBridge, type DesktopBridge } from '../src-proxy/contract/index.js';
import { ConsoleRoot } from './app/ConsoleRoot.js';
import { App } from './app/App.js';
import { ControlProvider } from './app/control-context.js';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
const bridge = (window as unknown as Record<string, DesktopBridge | undefined>)[DESKTOP_BRIDGE_KEY];
if (bridge) {
  root.render(
    <ControlProvider client={clientFromBridge(bridge)}>
      <App />
    </ControlProvider>,
  );
} else {
  root.render(<ConsoleRoot place={{ location: window.location, history: window.history, storage: window.sessionStorage }} />);
}
