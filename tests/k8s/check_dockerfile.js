#!/usr/bin/env node
// ctest dockerfile_static: static checks of deploy/Dockerfile, since no
// container engine runs on the build machines. Checks: multi-stage with a
// debian:12-slim runtime, non-root numeric USER last, exec-form ENTRYPOINT, no
// secrets baked in, no copy of the whole context, no build tools in the
// runtime, and the build stage installing exactly deploy/setup.sh's apt
// packages. Then mutates the Dockerfile text and requires each mutation to be
// caught.
//   node tests/k8s/check_dockerfile.js [repo-root]
'use strict';

const fs = require('fs');
const path = require('path');

const repo = path.resolve(process.argv[2] || path.join(__dirname, '..', '..'));

// Dockerfile text -> [{instr, args, line}] with continuations joined and
// comments dropped.
function parse(text) {
  const out = [];
  let buf = '';
  let start = 0;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!buf && (line === '' || line.startsWith('#'))) return;
    if (buf && line.startsWith('#')) return;
    if (!buf) start = i + 1;
    if (line.endsWith('\\')) {
      buf += line.slice(0, -1) + ' ';
      return;
    }
    buf += line;
    const m = buf.match(/^(\S+)\s*(.*)$/);
    out.push({instr: m[1].toUpperCase(), args: m[2], line: start});
    buf = '';
  });
  return out;
}

function aptPackages(runArgs) {
  const m = runArgs.match(/apt-get install ([^&;]*)/);
  if (!m) return [];
  return m[1].split(/\s+/).filter((w) => w && !w.startsWith('-'));
}

// The packages deploy/setup.sh installs on a fresh Debian 12: APT_PACKAGES,
// plus NODE_PACKAGES (installed there only when node/npm are missing, which
// they are on debian:12).
function setupPackages() {
  const text = fs.readFileSync(path.join(repo, 'deploy', 'setup.sh'), 'utf8');
  const list = (name) => {
    const m = text.match(new RegExp(`^${name}=\\(([^)]*)\\)`, 'm'));
    return m ? m[1].replace(/#.*$/gm, '').split(/\s+/).filter(Boolean) : null;
  };
  const apt = list('APT_PACKAGES');
  if (!apt) throw new Error('deploy/setup.sh: APT_PACKAGES=( ... ) not found');
  return [...apt, ...(list('NODE_PACKAGES') || [])];
}

const SECRET_NAME = /(KEY|SECRET|TOKEN|PASSWORD|PASSWD|CREDENTIAL)/i;
const EXTRA_BUILD_PACKAGES = new Set(['ca-certificates']);

function check(text, ignoreText, setupPkgs) {
  const errors = [];
  const instrs = parse(text);
  const stages = [];
  for (const ins of instrs) {
    if (ins.instr === 'FROM') stages.push({from: ins.args, instrs: []});
    else if (stages.length) stages[stages.length - 1].instrs.push(ins);
  }
  if (stages.length < 2) errors.push(`expected a multi-stage build, found ${stages.length} stage(s)`);
  const final = stages[stages.length - 1] || {from: '', instrs: []};
  const build = stages[0] || {from: '', instrs: []};
  if (!/^debian:12-slim(\s|$)/.test(final.from)) {
    errors.push(`runtime stage must be FROM debian:12-slim, found "${final.from}"`);
  }
  if (!/^debian:12(\s|$)/.test(build.from)) errors.push(`build stage must be FROM debian:12, found "${build.from}"`);

  // USER: the last one in the final stage, numeric, non-root, after every RUN.
  const users = final.instrs.filter((i) => i.instr === 'USER');
  const lastUser = users[users.length - 1];
  if (!lastUser) {
    errors.push('runtime stage has no USER (would run as root)');
  } else {
    const uid = lastUser.args.split(':')[0];
    if (!/^\d+$/.test(uid)) errors.push(`USER must be numeric (runAsNonRoot needs it), found "${lastUser.args}"`);
    else if (Number(uid) === 0) errors.push('USER must not be root (0)');
    else if (Number(uid) !== 10001) errors.push(`USER must be 10001 (k8s runAsUser), found ${uid}`);
    const lastRun = final.instrs.filter((i) => i.instr === 'RUN').pop();
    if (lastRun && lastRun.line > lastUser.line) errors.push('a RUN comes after USER in the runtime stage');
  }
  if (users.some((u) => /^(root|0)(:|$)/.test(u.args))) errors.push('USER root in the runtime stage');

  const entry = final.instrs.filter((i) => i.instr === 'ENTRYPOINT').pop();
  if (!entry) errors.push('runtime stage has no ENTRYPOINT');
  else if (!entry.args.trim().startsWith('[')) {
    errors.push('ENTRYPOINT must be exec form (JSON array) so the service gets SIGTERM directly');
  }

  for (const ins of instrs) {
    if (ins.instr === 'ENV' || ins.instr === 'ARG') {
      const name = ins.args.split(/[=\s]/)[0];
      if (SECRET_NAME.test(name) && !/_FILE$/.test(name)) {
        errors.push(`line ${ins.line}: ${ins.instr} ${name} looks like a secret baked into the image`);
      }
    }
    if (ins.instr === 'COPY' || ins.instr === 'ADD') {
      const parts = ins.args.split(/\s+/).filter((p) => !p.startsWith('--'));
      const sources = parts.slice(0, -1);
      if (!/--from=/.test(ins.args) && sources.some((s) => s === '.' || s === './')) {
        errors.push(`line ${ins.line}: ${ins.instr} of the whole build context; copy source folders only`);
      }
      if (sources.some((s) => /(\.key|\.pem|\.demo|\.env)\b/.test(s))) {
        errors.push(`line ${ins.line}: ${ins.instr} copies key or local-state files`);
      }
    }
    if (ins.instr === 'RUN' && /(auth|privacy)\.key/.test(ins.args)) {
      errors.push(`line ${ins.line}: RUN handles key files; keys are mounted at run time`);
    }
  }

  // Build stage installs what deploy/setup.sh installs, no more, no less.
  const buildPkgs = new Set(build.instrs.filter((i) => i.instr === 'RUN').flatMap((i) => aptPackages(i.args)));
  for (const p of setupPkgs) {
    if (!buildPkgs.has(p)) errors.push(`build stage does not install ${p} (in deploy/setup.sh)`);
  }
  for (const p of buildPkgs) {
    if (!setupPkgs.includes(p) && !EXTRA_BUILD_PACKAGES.has(p)) {
      errors.push(`build stage installs ${p}, which deploy/setup.sh does not`);
    }
  }

  // Runtime: shared libraries only.
  const runtimePkgs = final.instrs.filter((i) => i.instr === 'RUN').flatMap((i) => aptPackages(i.args));
  for (const p of runtimePkgs) {
    if (/-dev$|^(build-essential|cmake|clang|gcc|g\+\+|npm|nodejs|python3.*)$/.test(p)) {
      errors.push(`runtime stage installs build tool or headers: ${p}`);
    }
  }
  for (const lib of ['libgrpc++1.51', 'libprotobuf32', 'libabsl20220623', 'libhiredis0.14', 'libsqlite3-0', 'libssl3']) {
    if (!runtimePkgs.includes(lib)) errors.push(`runtime stage does not install ${lib}`);
  }
  if (!final.instrs.some((i) => i.instr === 'COPY' && /--from=/.test(i.args))) {
    errors.push('runtime stage copies nothing from the build stage');
  }
  // The manifests' exec probes run it (the listeners speak TLS only).
  if (!final.instrs.some((i) => i.instr === 'COPY' && /--from=/.test(i.args) &&
      /\/usr\/local\/bin\/umkm-health-probe$/.test(i.args.trim()))) {
    errors.push('runtime stage does not install /usr/local/bin/umkm-health-probe (the probes need it)');
  }

  const ignored = ignoreText.split('\n').map((l) => l.trim());
  for (const want of ['.demo/', 'node_modules/', '.git']) {
    if (!ignored.includes(want)) errors.push(`deploy/Dockerfile.dockerignore must exclude ${want}`);
  }
  return errors;
}

// Each mutation must make check() report at least one error.
const MUTATIONS = [
  ['runs as root', (t) => t.replace(/^USER 10001:10001$/m, 'USER root')],
  ['no USER', (t) => t.replace(/^USER .*$/m, '')],
  ['single stage', (t) => t.replace(/^FROM debian:12-slim AS runtime$/m, '').replace(/^COPY --from=build .*$/m, '')],
  ['secret in ENV', (t) => t.replace(/^ENV UMKM_DATA_DIR/m, 'ENV UMKM_AUTH_KEY=abcdef\nENV UMKM_DATA_DIR')],
  ['whole context copied', (t) => t.replace(/^COPY protos\/ protos\/$/m, 'COPY . .')],
  ['dev key copied', (t) => t.replace(/^COPY tools\/ tools\/$/m, 'COPY tools/ tools/\nCOPY .demo/auth.key /etc/auth.key')],
  ['shell-form entrypoint', (t) => t.replace(/^ENTRYPOINT .*$/m, 'ENTRYPOINT /usr/local/bin/umkm-service')],
  ['compiler in runtime', (t) => t.replace('libsqlite3-0 libssl3', 'libsqlite3-0 libssl3 build-essential')],
  ['package missing from build', (t) => t.replace(' libhiredis-dev ', ' ')],
  ['health probe missing', (t) => t.replace(/^COPY --from=build \/out\/umkm-health-probe .*$/m, '')],
];

function main() {
  const dockerfile = path.join(repo, 'deploy', 'Dockerfile');
  const text = fs.readFileSync(dockerfile, 'utf8');
  const ignoreText = fs.readFileSync(path.join(repo, 'deploy', 'Dockerfile.dockerignore'), 'utf8');
  const setupPkgs = setupPackages();
  let failed = 0;

  const errors = check(text, ignoreText, setupPkgs);
  if (errors.length) {
    failed++;
    console.error(`FAIL deploy/Dockerfile: ${errors.length} problem(s)`);
    for (const e of errors) console.error(`  - ${e}`);
  } else {
    console.log('ok   deploy/Dockerfile: multi-stage, non-root, no secrets, runtime libs only');
  }
  for (const [what, mutate] of MUTATIONS) {
    const mutated = mutate(text);
    if (mutated === text) {
      failed++;
      console.error(`FAIL mutation "${what}" no longer applies; update the test`);
      continue;
    }
    const found = check(mutated, ignoreText, setupPkgs);
    if (found.length) console.log(`ok   rule fires: ${what} -> ${found[0]}`);
    else {
      failed++;
      console.error(`FAIL rule did not fire: ${what}`);
    }
  }
  console.log(failed ? `dockerfile_static: ${failed} failure(s)` : 'dockerfile_static: pass');
  return failed ? 1 : 0;
}

process.exitCode = main();
