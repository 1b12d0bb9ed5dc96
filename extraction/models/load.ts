// The trained models shipped with Trellis (versioned JSON files next to this one).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Calibration } from '../confidence/assess.ts';
import type { LinearModel } from '../learn/linear-model.ts';

const here = import.meta.dirname;

function readJson<T>(name: string): T | undefined {
  const file = path.join(here, name);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : undefined;
}

export interface Models {
  intent?: LinearModel;
  calibration?: Calibration;
}

let cached: Models | undefined;

export function loadModels(): Models {
  if (!cached) {
    const intent = readJson<LinearModel>('intent.json');
    const calibration = readJson<Calibration>('calibration.json');
    cached = { ...(intent ? { intent } : {}), ...(calibration ? { calibration } : {}) };
  }
  return cached;
}
