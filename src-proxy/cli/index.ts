#!/usr/bin/env node
import { main } from './main.js';
import { processIo } from './io.js';

main(process.argv.slice(2), processIo).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
