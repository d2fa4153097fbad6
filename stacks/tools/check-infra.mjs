// `npm run check:infra`: install SST's platform offline, then typecheck sst.config.ts and stacks/
// against the real SST and Pulumi types (stacks/tsconfig.json).
import path from 'node:path';
import ts from 'typescript';
import { PLATFORM, ROOT, sstInstall, sstVersion } from './platform.mjs';

console.log(`== sst install (SST ${sstVersion()}, offline)`);
sstInstall();

console.log('== typecheck sst.config.ts and stacks/ (stacks/tsconfig.json)');
const configFile = path.join(ROOT, 'stacks', 'tsconfig.json');
const parsed = ts.getParsedCommandLineOfConfigFile(
  configFile,
  {},
  {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  },
);
const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });

// Ours: sst.config.ts and stacks/. SST's platform is TypeScript source compiled along; its own files
// are not ours to fix (4.17.1's installed packages carry two @types/node, which clash in function.ts).
const isOurs = (fileName) => {
  const relative = path.relative(ROOT, fileName);
  return relative === 'sst.config.ts' || relative.startsWith(`stacks${path.sep}`);
};
const ours = program.getSourceFiles().filter((file) => isOurs(file.fileName));
const diagnostics = [
  ...program.getOptionsDiagnostics(),
  ...program.getGlobalDiagnostics(),
  ...ours.flatMap((file) => [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)]),
];
const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => ROOT, getNewLine: () => '\n' };

if (diagnostics.length > 0) {
  console.error(ts.formatDiagnosticsWithColorAndContext(diagnostics, host));
  console.error(`check:infra: ${diagnostics.length} type error(s)`);
  process.exit(1);
}
const names = ours.map((file) => path.relative(ROOT, file.fileName)).sort();
console.log(
  `typechecked ${names.length} files against ${path.relative(ROOT, PLATFORM)} (TypeScript ${ts.version}): ${names.join(', ')}`,
);
console.log('check:infra: ok');
