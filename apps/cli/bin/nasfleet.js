#!/usr/bin/env node
// The `nasfleet` command (`nasfleet [search options]`, `nasfleet check FILE...`): the CLI is
// TypeScript run without a build step, so register tsx's loader, then start it.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
