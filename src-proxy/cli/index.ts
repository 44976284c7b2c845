#!/usr/bin/env node
import { main } from './main.js';
import { processIo } from './io.js';
import { describeBug } from './wording.js';

main(process.argv.slice(2), processIo).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(describeBug(err, process.env));
    process.exit(1);
  },
);
