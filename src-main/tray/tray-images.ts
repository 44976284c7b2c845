// Which tray image each platform shows for each state: macOS template images (black and alpha, tinted
// by the menu bar; @2x picked up by name), a multi-size .ico on Windows, a PNG on Linux.

export type TrayPlatform = 'darwin' | 'win32' | 'linux';

const IMAGES: Readonly<Record<TrayPlatform, { running: string; stopped: string }>> = {
  darwin: { running: 'trayTemplate.png', stopped: 'trayStoppedTemplate.png' },
  win32: { running: 'tray.ico', stopped: 'tray-stopped.ico' },
  linux: { running: 'tray.png', stopped: 'tray-stopped.png' },
};

export function trayPlatform(platform: string): TrayPlatform {
  return platform === 'darwin' || platform === 'win32' ? platform : 'linux';
}

export function trayImageFile(platform: TrayPlatform, running: boolean): string {
  return IMAGES[platform][running ? 'running' : 'stopped'];
}

export function allTrayImageFiles(): string[] {
  return Object.values(IMAGES).flatMap((i) => [i.running, i.stopped]);
}
