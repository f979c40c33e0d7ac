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

function checkProbeIsGrpc(where, probe, wantService, ports, errors) {
  if (!probe) {
    errors.push(`${where}: missing`);
    return;
  }
  if (!probe.grpc) {
    errors.push(`${where}: must be a native gRPC probe (grpc:), found ${Object.keys(probe).join(',')}`);
    return;
  }
  const service = probe.grpc.service ?? '';
  if (service !== wantService) {
    errors.push(`${where}: grpc.service must be "${wantService}", found "${service}"`);
  }
  if (!ports.has(probe.grpc.port)) {
    errors.push(`${where}: grpc.port ${probe.grpc.port} is not a containerPort`);
  }
}

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

    // Probes: native gRPC for our services, present for everything else.
    for (const c of pod.containers || []) {
      const where = `${name} container ${c.name}`;
      if (isGrpcService) {
        const ports = new Set((c.ports || []).map((p) => p.containerPort));
        checkProbeIsGrpc(`${where} startupProbe`, c.startupProbe, 'readiness', ports, errors);
        checkProbeIsGrpc(`${where} readinessProbe`, c.readinessProbe, 'readiness', ports, errors);
        checkProbeIsGrpc(`${where} livenessProbe`, c.livenessProbe, '', ports, errors);
      } else {
        if (!c.readinessProbe) errors.push(`${where}: readinessProbe missing`);
        if (!c.livenessProbe) errors.push(`${where}: livenessProbe missing`);
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
