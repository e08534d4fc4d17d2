#!/usr/bin/env node
// Prints the finding catalogue as the Markdown table the README carries (npm run docs:findings).
import { catalogue } from '../dist/src/analyze/catalogue.js';

console.log('| id | level | hop | raised when |');
console.log('|---|---|---|---|');
for (const [id, entry] of Object.entries(catalogue)) {
  console.log(`| \`${id}\` | ${entry.level} | ${entry.hop} | ${entry.when} |`);
}
