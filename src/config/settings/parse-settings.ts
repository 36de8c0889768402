import { LineCounter, parseDocument } from 'yaml';
import { NAME } from '../procfile.js';
import type { Diagnostic } from '../types.js';
import { PROCESS_KEYS, unknownKeyMessage } from './process-keys.js';
import type { ProcessSettings } from './types.js';
import { YamlReader } from './yaml-reader.js';

/**
 * devrun.yaml, parsed and checked on its own (names against the Procfile: dependency-graph.ts). Pure.
 * The top level is `processes:`, a map from an entry name to its settings (room for global settings
 * later). Every problem is reported with file, line, column and key path; a file with problems yields
 * no settings at all, so a run never starts on half of them.
 */
export interface SettingsFile {
  processes: ProcessSettings[];
  diagnostics: Diagnostic[];
}

const TOP_KEYS = ['processes'];
const KEYS = PROCESS_KEYS.map((k) => k.key);

export function parseSettings(text: string, file: string): SettingsFile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const reader = new YamlReader(file, lines);
  if (doc.errors.length > 0) {
    const diagnostics = doc.errors.map((error) => {
      const { line, col } = lines.linePos(error.pos[0]);
      return { file, line, column: col, message: `not valid YAML: ${error.message.split('\n')[0]}` };
    });
    return { processes: [], diagnostics };
  }
  const processes: ProcessSettings[] = [];
  for (const pair of reader.pairs(doc.contents, 'top level', 'a map with processes:') ?? []) {
    const key = reader.keyOf(pair);
    if (!TOP_KEYS.includes(key)) {
      reader.report(pair.key, key, unknownKeyMessage(key, TOP_KEYS));
      continue;
    }
    for (const entry of reader.pairs(pair.value, 'processes', 'a map from process names to their settings') ?? []) {
      const name = reader.keyOf(entry);
      const path = `processes.${name}`;
      if (!NAME.test(name)) {
        reader.report(entry.key, path, `"${name}" is not a process name: use only A-Z, a-z, 0-9, "_" and "-"`);
        continue;
      }
      const settings: ProcessSettings = {
        name,
        line: reader.at(entry.key).line,
        keys: [],
        dependsOn: {},
        env: {},
        watch: [],
        watchIgnore: [],
      };
      for (const setting of reader.pairs(entry.value, path, 'a map of settings') ?? []) {
        const key = reader.keyOf(setting);
        const known = PROCESS_KEYS.find((k) => k.key === key);
        if (known) {
          settings.keys.push(key);
          known.read(reader, setting.value, `${path}.${key}`, settings);
        } else reader.report(setting.key, `${path}.${key}`, unknownKeyMessage(key, KEYS));
      }
      processes.push(settings);
    }
  }
  const { diagnostics } = reader;
  return diagnostics.length > 0 ? { processes: [], diagnostics } : { processes, diagnostics };
}
