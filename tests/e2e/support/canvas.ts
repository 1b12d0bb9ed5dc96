// Gestures on the React Flow canvas as a person makes them: drag from the palette, connect handles.
import type { Locator, Page } from 'playwright-core';

export function nodeOnCanvas(page: Page, nodeId: string): Locator {
  return page.locator(`.react-flow__node[data-id="${nodeId}"]`);
}

export function handleOf(page: Page, nodeId: string, port: string, side: 'source' | 'target'): Locator {
  return nodeOnCanvas(page, nodeId).locator(`.react-flow__handle.${side}[data-handleid="${port}"]`);
}

/** Drags a node type from the palette and drops it at (x, y) inside the canvas. */
export async function dragFromPalette(page: Page, nodeType: string, x: number, y: number): Promise<void> {
  await page
    .locator(`.palette-item[data-node-type="${nodeType}"]`)
    .dragTo(page.locator('.canvas .react-flow__pane'), { targetPosition: { x, y } });
}

async function centre(locator: Locator): Promise<{ x: number; y: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('element is not visible');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** The centre once it stops moving: a node resizes when its validation errors change after an edit. */
async function settledCentre(page: Page, locator: Locator): Promise<{ x: number; y: number }> {
  let last = await centre(locator);
  for (let check = 0; check < 30; check++) {
    await page.waitForTimeout(100);
    const now = await centre(locator);
    if (now.x === last.x && now.y === last.y) return now;
    last = now;
  }
  return last;
}

/** Presses on an output handle and releases on an input handle, moving in small steps like a hand. */
export async function connect(page: Page, from: [string, string], to: [string, string]): Promise<void> {
  const target = handleOf(page, to[0], to[1], 'target');
  const start = await settledCentre(page, handleOf(page, from[0], from[1], 'source'));
  const end = await settledCentre(page, target);
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move((start.x + end.x) / 2, (start.y + end.y) / 2, { steps: 8 });
  await page.mouse.move(end.x, end.y, { steps: 8 });
  // Release where the target is now, in case the canvas moved during the drag.
  const release = await centre(target);
  await page.mouse.move(release.x, release.y, { steps: 2 });
  await page.mouse.up();
}

export async function edgeCount(page: Page): Promise<number> {
  return page.locator('.react-flow__edge').count();
}
