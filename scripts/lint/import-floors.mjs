// An ESLint rule for the floors inside src-proxy: the folders stand in layers, and a file may import
// only from its own folder and from folders on lower layers. Relative imports are resolved against the
// importing file, so `../../gateway/app.js` from a nested folder is judged by where it really lands.

import path from 'node:path';

/** @param {string} file a path relative to the project root, with `/` */
function folderOf(file, root) {
  const parts = file.split('/');
  return parts[0] === root && parts.length > 2 ? parts[1] : null;
}

export const importFloors = {
  meta: {
    type: 'problem',
    docs: { description: 'A folder of the core imports only folders on lower floors.' },
    schema: [
      {
        type: 'object',
        properties: {
          root: { type: 'string' },
          floors: { type: 'array', items: { type: 'array', items: { type: 'string' } } },
        },
        required: ['root', 'floors'],
        additionalProperties: false,
      },
    ],
    messages: {
      upward: '{{from}} is on a lower floor than {{to}}: it may import only {{allowed}}.',
      sideways: '{{from}} and {{to}} share a floor: neither imports the other; move what both need lower.',
      unplaced: '{{folder}} has no floor: add it to the floors in eslint.config.js.',
    },
  },
  create(context) {
    const { root, floors } = context.options[0];
    const floorOf = new Map(floors.flatMap((names, level) => names.map((name) => [name, level])));
    const file = path.relative(context.cwd, context.filename).split(path.sep).join('/');
    const from = folderOf(file, root);
    if (from === null) return {};
    const fromFloor = floorOf.get(from);

    const check = (node, source) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), source));
      const to = folderOf(target, root);
      if (to === null || to === from) return;
      const toFloor = floorOf.get(to);
      if (fromFloor === undefined || toFloor === undefined) {
        context.report({ node, messageId: 'unplaced', data: { folder: `${root}/${fromFloor === undefined ? from : to}` } });
        return;
      }
      if (toFloor < fromFloor) return;
      const allowed = floors.slice(0, fromFloor).flat().join(', ') || 'nothing else in the core';
      context.report({ node, messageId: toFloor === fromFloor ? 'sideways' : 'upward', data: { from, to, allowed } });
    };
    const fromSource = (node) => check(node.source, node.source?.value);
    return {
      ImportDeclaration: fromSource,
      ExportNamedDeclaration: fromSource,
      ExportAllDeclaration: fromSource,
      ImportExpression: (node) => check(node.source, node.source.type === 'Literal' ? node.source.value : undefined),
      TSImportType: (node) => check(node.source, node.source.value),
    };
  },
};
