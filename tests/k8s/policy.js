// Offline checks for rendered Kubernetes manifests: schema validation with
// kubernetes-models (wrong types, missing required fields, unknown kinds) and
// the platform's policy rules (style.md, "Kubernetes"). Pure functions over
// plain objects, so check_manifests.js can also feed them broken copies and
// prove that each rule fires.
'use strict';

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob']);
const GRPC_COMPONENT = 'grpc-service';

// Returns the kubernetes-models class for an object, or null when the package
// has no model for its apiVersion/kind.
function modelFor(obj) {
  const apiVersion = String(obj.apiVersion || '');
  const kind = String(obj.kind || '');
  if (!apiVersion || !/^[A-Za-z]+$/.test(kind)) return null;
  // "v1" -> kubernetes-models/v1/Kind, "apps/v1" -> kubernetes-models/apps/v1/Kind
  const modulePath = `kubernetes-models/${apiVersion}/${kind}`;
  try {
    const mod = require(modulePath);
    return mod[kind] || null;
  } catch (e) {
    return null;
  }
}

function describe(obj) {
  const md = obj.metadata || {};
  return `${obj.kind}/${md.name}`;
}

// Schema validation of every object. Returns a list of error strings.
function schemaErrors(objects) {
  const errors = [];
  for (const obj of objects) {
    const Model = modelFor(obj);
    if (!Model) {
      errors.push(`${describe(obj)}: no schema for ${obj.apiVersion} ${obj.kind}`);
      continue;
    }
    try {
      new Model(obj).validate();
    } catch (e) {
      errors.push(`${describe(obj)}: schema: ${e.message}`);
    }
  }
  return errors;
}

function podTemplateOf(obj) {
  if (obj.kind === 'CronJob') return obj.spec?.jobTemplate?.spec?.template;
  return obj.spec?.template;
}

function labelsMatch(selector, labels) {
  if (!selector) return false;
  return Object.entries(selector).every(([k, v]) => labels && labels[k] === v);
}

// Splits "repo/name:tag@sha256:..." into its tag and digest (both optional).
function parseImage(image) {
  let rest = image;
  let digest = '';
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  const tag = colon > lastSlash ? rest.slice(colon + 1) : '';
  return {tag, digest};
}

const HEALTH_PROBE = '/usr/local/bin/umkm-health-probe';

// Our gRPC listeners speak mutual TLS only and the kubelet's native grpc
// probe speaks plaintext only, so the probes are exec probes running
// umkm-health-probe in the container (tools/probe/probe.h), checking the
// certificate against the name of the Service that fronts the pod.
function checkHealthProbe(where, probe, wantService, serviceNames, errors) {
  if (!probe) {
    errors.push(`${where}: missing`);
    return;
  }
  const command = probe.exec?.command;
  if (!command || command[0] !== HEALTH_PROBE) {
    errors.push(`${where}: must be an exec probe running ${HEALTH_PROBE} (the listener speaks TLS only), ` +
        `found ${command ? command.join(' ') : Object.keys(probe).join(',')}`);
    return;
  }
  const value = (flag) => {
    const arg = command.find((a) => a.startsWith(`--${flag}=`));
    return arg === undefined ? undefined : arg.slice(flag.length + 3);
  };
  const service = value('service') ?? '';
  if (service !== wantService) errors.push(`${where}: --service must be "${wantService}", found "${service}"`);
  const name = value('tls_server_name');
  if (!name || !serviceNames.includes(name)) {
    errors.push(`${where}: --tls_server_name must be the pod's Service (${serviceNames.join(', ')}), found "${name}"`);
  }
}

// The container's environment: env entries and the ConfigMaps of envFrom.
function environmentOf(container, objects) {
  const env = {};
  for (const from of container.envFrom || []) {
    const name = from.configMapRef?.name;
    const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata?.name === name);
    Object.assign(env, cm?.data || {});
  }
  for (const e of container.env || []) if (e.value !== undefined) env[e.name] = e.value;
  return env;
}

// True when `path` lies under a read-only mount of a Secret volume.
function fromSecret(pod, container, path) {
  return (container.volumeMounts || []).some((m) => {
    const volume = (pod.volumes || []).find((v) => v.name === m.name);
    const dir = m.mountPath.endsWith('/') ? m.mountPath : `${m.mountPath}/`;
    return volume?.secret && m.readOnly === true && String(path).startsWith(dir);
  });
}

const TLS_FILES = ['UMKM_TLS_CERT_FILE', 'UMKM_TLS_KEY_FILE', 'UMKM_TLS_CLIENT_CA_FILE', 'UMKM_TLS_CA_FILE'];

// Policy rules. `env` is the overlay name ("production" gets the stricter image
// rule). Returns a list of error strings; empty means compliant.
function policyErrors(objects, env) {
  const errors = [];
  const byKind = (kind) => objects.filter((o) => o.kind === kind);

  for (const obj of objects) {
    if (!WORKLOAD_KINDS.has(obj.kind)) continue;
    const name = describe(obj);
    const template = podTemplateOf(obj);
    const pod = template?.spec;
    if (!pod) {
      errors.push(`${name}: no pod template`);
      continue;
    }
    const podLabels = template.metadata?.labels || {};
    const isGrpcService = podLabels['app.kubernetes.io/component'] === GRPC_COMPONENT;
    const podSc = pod.securityContext || {};

    if (pod.automountServiceAccountToken !== false) {
      errors.push(`${name}: automountServiceAccountToken must be false`);
    }
    if (pod.enableServiceLinks !== false) {
      errors.push(`${name}: enableServiceLinks must be false (service env vars collide with UMKM_*)`);
    }
    if (!pod.serviceAccountName || pod.serviceAccountName === 'default') {
      errors.push(`${name}: must use its own ServiceAccount`);
    } else {
      const sa = byKind('ServiceAccount').find((s) => s.metadata?.name === pod.serviceAccountName);
      if (!sa) errors.push(`${name}: ServiceAccount ${pod.serviceAccountName} not rendered`);
      else if (sa.automountServiceAccountToken !== false) {
        errors.push(`ServiceAccount/${sa.metadata.name}: automountServiceAccountToken must be false`);
      }
    }

    const containers = [...(pod.initContainers || []), ...(pod.containers || [])];
    if (!(pod.containers || []).length) errors.push(`${name}: no containers`);
    for (const c of containers) {
      const where = `${name} container ${c.name}`;
      const sc = c.securityContext || {};
      const runAsNonRoot = sc.runAsNonRoot ?? podSc.runAsNonRoot;
      const runAsUser = sc.runAsUser ?? podSc.runAsUser;
      if (runAsNonRoot !== true) errors.push(`${where}: runAsNonRoot must be true`);
      if (runAsUser === undefined || runAsUser === 0) {
        errors.push(`${where}: runAsUser must be set to a non-zero uid`);
      }
      if (sc.readOnlyRootFilesystem !== true) errors.push(`${where}: readOnlyRootFilesystem must be true`);
      if (sc.allowPrivilegeEscalation !== false) {
        errors.push(`${where}: allowPrivilegeEscalation must be false`);
      }
      if (sc.privileged === true) errors.push(`${where}: must not be privileged`);
      const drop = sc.capabilities?.drop || [];
      if (!drop.includes('ALL')) errors.push(`${where}: capabilities.drop must include ALL`);
      if ((sc.capabilities?.add || []).length) errors.push(`${where}: must not add capabilities`);
      const seccomp = (sc.seccompProfile || podSc.seccompProfile || {}).type;
      if (seccomp !== 'RuntimeDefault') errors.push(`${where}: seccompProfile must be RuntimeDefault`);

      const res = c.resources || {};
      if (!res.requests?.cpu) errors.push(`${where}: resources.requests.cpu must be set`);
      if (!res.requests?.memory) errors.push(`${where}: resources.requests.memory must be set`);
      if (!res.limits?.memory) errors.push(`${where}: resources.limits.memory must be set`);

      const image = String(c.image || '');
      const {tag, digest} = parseImage(image);
      if (!tag && !digest) errors.push(`${where}: image ${image} has no tag or digest (means :latest)`);
      if (tag === 'latest') errors.push(`${where}: image ${image} uses :latest`);
      if (env === 'production' && !digest && !/^v?\d+\.\d+(\.\d+)?([-.][A-Za-z0-9.]+)?$/.test(tag)) {
        errors.push(`${where}: production image ${image} must be pinned to a version or digest`);
      }
    }

    // Probes: TLS health checks for our services, present for everything
    // else.
    const serviceNames = byKind('Service').filter((svc) => labelsMatch(svc.spec?.selector, podLabels))
        .map((svc) => svc.metadata.name);
    for (const c of pod.containers || []) {
      const where = `${name} container ${c.name}`;
      if (isGrpcService) {
        checkHealthProbe(`${where} startupProbe`, c.startupProbe, 'readiness', serviceNames, errors);
        checkHealthProbe(`${where} readinessProbe`, c.readinessProbe, 'readiness', serviceNames, errors);
        checkHealthProbe(`${where} livenessProbe`, c.livenessProbe, '', serviceNames, errors);
      } else {
        if (!c.readinessProbe) errors.push(`${where}: readinessProbe missing`);
        if (!c.livenessProbe) errors.push(`${where}: livenessProbe missing`);
      }
    }

    // Transport: our services listen with mutual TLS and log in to Redis,
    // every key and certificate read from a mounted Secret.
    for (const c of isGrpcService ? pod.containers || [] : []) {
      const where = `${name} container ${c.name}`;
      const env = environmentOf(c, objects);
      const files = [...TLS_FILES];
      if (env.UMKM_REDIS_URL) files.push('UMKM_REDIS_PASSWORD_FILE');
      if (String(env.UMKM_REDIS_URL || '').includes('@')) {
        errors.push(`${where}: UMKM_REDIS_URL carries credentials; use UMKM_REDIS_PASSWORD_FILE`);
      }
      for (const variable of files) {
        if (!env[variable]) errors.push(`${where}: ${variable} must be set (TLS on every listener, Redis password)`);
        else if (!fromSecret(pod, c, env[variable])) {
          errors.push(`${where}: ${variable}=${env[variable]} must lie in a read-only Secret mount`);
        }
      }
    }
    // Redis requires a password: an ACL file from a Secret, never a password
    // on the command line (visible in the pod spec and in ps).
    for (const c of pod.containers || []) {
      if (!/^redis[:@]/.test(String(c.image || ''))) continue;
      const where = `${name} container ${c.name}`;
      const args = [...(c.command || []), ...(c.args || [])];
      const acl = args[args.indexOf('--aclfile') + 1];
      if (!args.includes('--aclfile')) errors.push(`${where}: Redis must load an ACL file (--aclfile) that requires a password`);
      else if (!fromSecret(pod, c, acl)) errors.push(`${where}: --aclfile ${acl} must lie in a read-only Secret mount`);
      if (args.some((a) => /requirepass|masterauth/.test(a))) {
        errors.push(`${where}: no password on the command line; use the ACL file`);
      }
    }

    // A pod writing a ReadWriteOnce SQLite volume must be a single Recreate
    // replica (see k8s/base/registry/deployment.yaml).
    const usesPvc = (pod.volumes || []).some((v) => v.persistentVolumeClaim);
    if (obj.kind === 'Deployment' && usesPvc) {
      if ((obj.spec.replicas ?? 1) !== 1) errors.push(`${name}: a Deployment on a PVC must have 1 replica`);
      if (obj.spec.strategy?.type !== 'Recreate') {
        errors.push(`${name}: a Deployment on a PVC must use strategy Recreate`);
      }
      const hpa = byKind('HorizontalPodAutoscaler').find(
          (h) => h.spec?.scaleTargetRef?.name === obj.metadata?.name);
      if (hpa) errors.push(`${name}: must not be autoscaled while it stores data in SQLite`);
    }

    // Every workload is covered by a PDB and an ingress NetworkPolicy.
    const pdb = byKind('PodDisruptionBudget').find(
        (p) => labelsMatch(p.spec?.selector?.matchLabels, podLabels));
    if (!pdb) errors.push(`${name}: no PodDisruptionBudget selects it`);
    const netpol = byKind('NetworkPolicy').find(
        (n) => Object.keys(n.spec?.podSelector?.matchLabels || {}).length &&
            labelsMatch(n.spec.podSelector.matchLabels, podLabels) && (n.spec.ingress || []).length);
    if (!netpol) errors.push(`${name}: no NetworkPolicy allow list selects it`);

    if (isGrpcService) {
      const svc = byKind('Service').find((s) => labelsMatch(s.spec?.selector, podLabels));
      if (!svc) errors.push(`${name}: no Service selects it`);
    }
  }

  // gRPC Services declare appProtocol grpc so meshes and gateways speak HTTP/2.
  for (const svc of byKind('Service')) {
    if (svc.metadata?.labels?.['app.kubernetes.io/component'] !== GRPC_COMPONENT) continue;
    for (const p of svc.spec?.ports || []) {
      if (p.appProtocol !== 'grpc') {
        errors.push(`Service/${svc.metadata.name} port ${p.name || p.port}: appProtocol must be grpc`);
      }
    }
  }

  const denyAll = byKind('NetworkPolicy').find(
      (n) => Object.keys(n.spec?.podSelector || {}).length === 0 &&
          (n.spec?.policyTypes || []).includes('Ingress') && !(n.spec?.ingress || []).length);
  if (!denyAll) errors.push('no default deny-all ingress NetworkPolicy (podSelector: {})');

  // Secrets: real ones are created outside git. Only a dev overlay may carry
  // one, and then only with values marked FAKE.
  for (const s of byKind('Secret')) {
    if (env === 'production') {
      errors.push(`Secret/${s.metadata?.name}: production must not render secrets (create them with kubectl)`);
      continue;
    }
    const values = {...(s.stringData || {})};
    for (const [k, v] of Object.entries(s.data || {})) values[k] = Buffer.from(v, 'base64').toString();
    for (const [k, v] of Object.entries(values)) {
      if (!v.includes('FAKE')) errors.push(`Secret/${s.metadata?.name} key ${k}: committed values must be marked FAKE`);
    }
  }
  return errors;
}

module.exports = {schemaErrors, policyErrors, parseImage};
