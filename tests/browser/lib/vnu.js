'use strict';
// The Nu Html Checker (vnu.jar from the vnu-jar package) on built HTML files.

const { execFile } = require('node:child_process');
const { fileURLToPath } = require('node:url');

// vnu-jar's main export is the path of vnu.jar
// (node_modules/vnu-jar/build/dist/vnu.jar).
const VNU_JAR = String(require('vnu-jar'));

/**
 * Checks files; resolves to a list of { file, line, column, message, extract }
 * for every error (warnings are not asked for).
 */
function validate(files) {
  return new Promise((resolve, reject) => {
    execFile(
      process.env.JAVA || 'java',
      ['-Xss4m', '-jar', VNU_JAR, '--errors-only', '--format', 'json', ...files],
      { maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        // vnu writes its JSON report to stderr and exits 1 when there are errors.
        const text = (stderr || stdout || '').trim();
        let report;
        try {
          report = JSON.parse(text);
        } catch {
          return reject(new Error(`vnu.jar did not give a JSON report${error ? ` (${error.message})` : ''}:\n${text}`));
        }
        const errors = (report.messages || [])
          .filter((m) => m.type === 'error' || (m.type === 'non-document-error'))
          .map((m) => ({
            file: m.url ? safePath(m.url) : '(no file)',
            line: m.lastLine ?? m.firstLine ?? 0,
            column: m.firstColumn ?? m.lastColumn ?? 0,
            message: m.message,
            extract: m.extract || '',
          }));
        resolve(errors);
      },
    );
  });
}

function safePath(url) {
  try {
    return fileURLToPath(url);
  } catch {
    return url;
  }
}

module.exports = { validate, VNU_JAR };
