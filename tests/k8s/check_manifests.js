#!/usr/bin/env node
// ctest k8s_render: renders every overlay under k8s/overlays with
// `kubectl kustomize` and checks the output offline (schema with
// kubernetes-models, platform policy from policy.js). Then breaks copies of
// the dev render one rule at a time and requires each break to be reported,
// so the checker itself cannot silently stop checking.
//   node tests/k8s/check_manifests.js [repo-root]
// Exits 0 when everything holds, 1 otherwise (violations on stderr).
'use strict';

const {spawnSync} = require('child_process');
const fs = require('fs');
const path = require('path');

const repo = path.resolve(process.argv[2] || path.join(__dirname, '..', '..'));
// Resolve npm packages from the repo's node_modules even when ctest runs us
// from the build tree.
module.paths.unshift(path.join(repo, 'node_modules'));
const YAML = require('yaml');
const {schemaErrors, policyErrors} = require('./policy.js');

function render(dir) {
  const r = spawnSync('kubectl', ['kustomize', dir], {encoding: 'utf8', maxBuffer: 64 << 20});
  if (r.error) throw new Error(`kubectl kustomize ${dir}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`kubectl kustomize ${dir} failed:\n${r.stderr}`);
  const objects = [];
  for (const doc of YAML.parseAllDocuments(r.stdout)) {
    if (doc.errors.length) throw new Error(`${dir}: YAML: ${doc.errors[0].message}`);
    const obj = doc.toJSON();
    if (!obj) continue;
    // kustomize folds long base64 values (certificates) over several lines;
    // the API server ignores the line breaks, the schema's "byte" format
    // does not.
    if (obj.kind === 'Secret') {
      for (const key of Object.keys(obj.data || {})) obj.data[key] = obj.data[key].replace(/\s+/g, '');
    }
    objects.push(obj);
  }
  return objects;
}

const clone = (x) => JSON.parse(JSON.stringify(x));
const find = (objs, kind, name) => objs.find((o) => o.kind === kind && o.metadata.name === name);
const registryContainer = (objs) => find(objs, 'Deployment', 'umkm-registry').spec.template.spec.containers[0];
const redisContainer = (objs) => find(objs, 'StatefulSet', 'umkm-redis').spec.template.spec.containers[0];
// Generated objects carry a hash suffix (umkm-common-config-5h2k...).
const generated = (objs, kind, prefix) => objs.find((o) => o.kind === kind && o.metadata.name.startsWith(`${prefix}-`));

// Each mutation breaks one rule; the checker must report it.
const MUTATIONS = [
  ['container runs as root', (o) => {
    registryContainer(o).securityContext.runAsUser = 0;
  }],
  ['root filesystem writable', (o) => {
    registryContainer(o).securityContext.readOnlyRootFilesystem = false;
  }],
  ['capabilities not dropped', (o) => {
    delete registryContainer(o).securityContext.capabilities;
  }],
  ['liveness probe over TCP', (o) => {
    registryContainer(o).livenessProbe = {tcpSocket: {port: 50051}};
  }],
  ['native gRPC liveness probe (plaintext against a TLS port)', (o) => {
    registryContainer(o).livenessProbe = {grpc: {port: 50051, service: ''}};
  }],
  ['readiness probe on the liveness service', (o) => {
    registryContainer(o).readinessProbe.exec.command[1] = '--service=';
  }],
  ['listener without TLS', (o) => {
    delete generated(o, 'ConfigMap', 'umkm-common-config').data.UMKM_TLS_CERT_FILE;
  }],
  ['listener without client certificates', (o) => {
    delete generated(o, 'ConfigMap', 'umkm-common-config').data.UMKM_TLS_CLIENT_CA_FILE;
  }],
  ['TLS file outside a mounted Secret', (o) => {
    generated(o, 'ConfigMap', 'umkm-common-config').data.UMKM_TLS_KEY_FILE = '/tmp/tls.key';
  }],
  ['service without the Redis password', (o) => {
    delete generated(o, 'ConfigMap', 'umkm-common-config').data.UMKM_REDIS_PASSWORD_FILE;
  }],
  ['Redis without a password', (o) => {
    const args = redisContainer(o).args;
    args.splice(args.indexOf('--aclfile'), 2);
  }],
  ['Redis password on the command line', (o) => {
    redisContainer(o).args.push('--requirepass', 'hunter2');
  }],
  ['memory limit missing', (o) => {
    delete registryContainer(o).resources.limits;
  }],
  ['image on :latest', (o) => {
    registryContainer(o).image = 'sahabat-umkm/umkm-registry:latest';
  }],
  ['untagged image', (o) => {
    registryContainer(o).image = 'sahabat-umkm/umkm-registry';
  }],
  ['SQLite deployment scaled to 2', (o) => {
    find(o, 'Deployment', 'umkm-registry').spec.replicas = 2;
  }],
  ['service account token mounted', (o) => {
    find(o, 'Deployment', 'umkm-registry').spec.template.spec.automountServiceAccountToken = true;
  }],
  ['Service without appProtocol', (o) => {
    delete find(o, 'Service', 'umkm-registry').spec.ports[0].appProtocol;
  }],
  ['no deny-all policy', (o) => {
    o.splice(o.indexOf(find(o, 'NetworkPolicy', 'default-deny-ingress')), 1);
  }],
  ['real-looking secret value', (o) => {
    const s = generated(o, 'Secret', 'umkm-secrets');
    s.data['auth.key'] = Buffer.from('x'.repeat(40)).toString('base64');
  }],
  ['real-looking Redis password', (o) => {
    const s = generated(o, 'Secret', 'umkm-redis-auth');
    s.data.password = Buffer.from('umkm 3f9c2d7e41b0a8c5').toString('base64');
  }],
  ['replicas of the wrong type (schema)', (o) => {
    find(o, 'Deployment', 'umkm-registry').spec.replicas = '1';
  }],
  ['Service without ports (schema)', (o) => {
    find(o, 'Service', 'umkm-registry').spec.ports = [{name: 'grpc'}];
  }],
];

function main() {
  const overlaysDir = path.join(repo, 'k8s', 'overlays');
  const overlays = fs.readdirSync(overlaysDir)
      .filter((d) => fs.existsSync(path.join(overlaysDir, d, 'kustomization.yaml')))
      .sort();
  if (!overlays.includes('dev') || !overlays.includes('production')) {
    console.error(`expected overlays dev and production in ${overlaysDir}, found: ${overlays}`);
    return 1;
  }
  let failed = 0;
  const rendered = {};
  for (const overlay of overlays) {
    let objects;
    try {
      objects = render(path.join(overlaysDir, overlay));
    } catch (e) {
      console.error(`FAIL ${overlay}: ${e.message}`);
      failed++;
      continue;
    }
    rendered[overlay] = objects;
    const errors = [...schemaErrors(objects), ...policyErrors(objects, overlay)];
    if (errors.length) {
      failed++;
      console.error(`FAIL ${overlay}: ${errors.length} problem(s)`);
      for (const e of errors) console.error(`  - ${e}`);
    } else {
      const kinds = objects.map((o) => o.kind).join(', ');
      console.log(`ok   ${overlay}: ${objects.length} objects valid and compliant (${kinds})`);
    }
  }

  if (rendered.dev) {
    for (const [what, mutate] of MUTATIONS) {
      const broken = clone(rendered.dev);
      mutate(broken);
      const errors = [...schemaErrors(broken), ...policyErrors(broken, 'dev')];
      if (errors.length) {
        console.log(`ok   rule fires: ${what} -> ${errors[0]}`);
      } else {
        failed++;
        console.error(`FAIL rule did not fire: ${what}`);
      }
    }
    // The production image rule: a "dev" tag must not pass there.
    const prodLike = clone(rendered.dev).filter((o) => o.kind !== 'Secret');
    if (!policyErrors(prodLike, 'production').some((e) => e.includes('pinned'))) {
      failed++;
      console.error('FAIL rule did not fire: unpinned image in production');
    } else {
      console.log('ok   rule fires: unpinned image in production');
    }
  }

  console.log(failed ? `k8s_render: ${failed} failure(s)` : 'k8s_render: all overlays pass');
  return failed ? 1 : 0;
}

process.exitCode = main();
