import { describe, expect, it } from 'vitest';
import { WatchPlan } from '../../../src/engine/watch/watch-plan.js';

const plan = (globs: string[], ignore: string[] = []) => new WatchPlan({ globs, ignore });

describe('watch plan: which folders are walked, which changes count', () => {
  it('starts from each glob’s static base', () => {
    expect(plan(['src/**/*.ts', 'config/*.yml', './src/lib/*.ts']).bases).toEqual(['src', 'config', 'src/lib']);
    expect(plan(['*.json']).bases).toEqual(['']);
    expect(plan(['config/routes.rb']).bases).toEqual(['config', 'config/routes.rb']);
  });

  it.each([
    // glob, folder, wanted
    ['src/**/*.ts', 'src', true],
    ['src/**/*.ts', 'src/a/b/c', true],
    ['src/**/*.ts', '', true], // on the way to the base (walked from there when src does not exist yet)
    ['src/**/*.ts', 'lib', false],
    ['src/**/*.ts', 'src/.cache', false],
    ['src/**/*.ts', 'src/a/.cache', false],
    ['src/**', 'src/a/b', true],
    ['config/*.yml', 'config', true],
    ['config/*.yml', 'config/sub', false],
    ['app/*/views/*.erb', 'app/users', true],
    ['app/*/views/*.erb', 'app/users/views', true],
    ['app/*/views/*.erb', 'app/users/models', false],
    ['*.json', '', true],
    ['*.json', 'src', false],
    ['src/{a,b/c}/*.ts', 'src/x/y', true], // a brace across folders: anything under the base
  ])('%s wants %j: %s', (glob, dir, wanted) => {
    expect(plan([glob]).wants(dir)).toBe(wanted);
  });

  it('never walks .git or .devrun, nor node_modules unless a glob names it, nor watch_ignore', () => {
    const p = plan(['**/*.js'], ['dist', 'tmp/**', '**/generated']);
    for (const dir of ['.git', '.devrun', 'node_modules', 'a/node_modules/x', 'dist', 'tmp', 'tmp/x', 'lib/generated'])
      expect(p.wants(dir), dir).toBe(false);
    expect(p.wants('lib')).toBe(true);
    expect(p.matters('lib/a.js')).toBe(true);
    expect(p.matters('dist/a.js')).toBe(false);
    expect(p.matters('lib/generated/a.js')).toBe(false);
    const named = plan(['node_modules/my-lib/**/*.js']);
    expect(named.wants('node_modules')).toBe(true);
    expect(named.wants('node_modules/my-lib/dist')).toBe(true);
    expect(named.wants('node_modules/other')).toBe(false);
  });

  it('a plain path is that file, or that folder and everything in it', () => {
    const p = plan(['config/routes.rb', 'lib/', 'app']);
    expect(['config/routes.rb', 'lib/a.rb', 'lib/x/y/b.rb', 'app/models/user.rb', 'app'].filter((f) => p.matters(f))).toHaveLength(5);
    expect(p.matters('config/other.rb')).toBe(false);
    expect(p.wants('config')).toBe(true);
    expect(p.wants('config/initializers')).toBe(false);
    expect(p.wants('app/models/concerns')).toBe(true);
    expect(p.wants('docs')).toBe(false);
  });

  it('matches paths relative to the root', () => {
    const p = plan(['src/**/*.ts', 'config/*.yml'], ['src/**/*.test.ts']);
    expect(p.matters('src/app.ts')).toBe(true);
    expect(p.matters('src/deep/er/app.ts')).toBe(true);
    expect(p.matters('src/app.test.ts')).toBe(false);
    expect(p.matters('config/app.yml')).toBe(true);
    expect(p.matters('config/sub/app.yml')).toBe(false);
    expect(p.matters('README.md')).toBe(false);
  });
});
