import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { neo4jHomeDir } from './neo4j.service';

describe('neo4jHomeDir', () => {
  it('uses NEO4J_HOME_DIR when it is set, so npm run services and npm start keep data where it says', () => {
    expect(neo4jHomeDir({ NEO4J_HOME_DIR: '/srv/neo4j-home' })).toBe('/srv/neo4j-home');
  });

  it('takes a relative NEO4J_HOME_DIR from the current directory, as the launcher does', () => {
    expect(neo4jHomeDir({ NEO4J_HOME_DIR: 'some/home' })).toBe(resolve(process.cwd(), 'some/home'));
  });

  it('falls back to ops/neo4j/.data when NEO4J_HOME_DIR is unset or empty', () => {
    expect(neo4jHomeDir({})).toMatch(/\/ops\/neo4j\/\.data$/);
    expect(neo4jHomeDir({ NEO4J_HOME_DIR: '' })).toBe(neo4jHomeDir({}));
  });
});
