// Offline validation of edgesql's Kubernetes manifests and container image definition:
//   1. `kubectl kustomize` renders the base and every overlay;
//   2. every rendered object validates against the Kubernetes API schemas: kubernetes-models
//      4.5.1 (package-lock.json pins it), whose validators are generated from the OpenAPI
//      specification of Kubernetes v1.27.1 (type, required fields, formats);
//   3. policy checks: one replica, Recreate strategy, probes on the HTTP endpoints, non-root and
//      read-only, resources, tolerations, shutdown budget, the Secret and volumes wired together,
//      no `latest` image tag, the StatefulSet's pod identical to the Deployment's, and the
//      Dockerfile's final stage matching the Deployment (user, ports, volume, arguments).
// --self-test first breaks rendered objects on purpose and checks that each break is reported,
// so that none of the checks passes vacuously.
//
//   node validate.mjs [--kubectl PATH] [--self-test]
// Exits 0 when everything holds, 1 with every finding listed otherwise.
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import YAML from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const kubeDir = resolve(here, "..");
const dockerfile = resolve(here, "../../container/Dockerfile");
const kUid = 10001;
const kDataDir = "/var/opt/edgesql";

function parseArgs(argv) {
  const opts = { kubectl: "kubectl", selfTest: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--kubectl") opts.kubectl = argv[++i];
    else if (argv[i] === "--self-test") opts.selfTest = true;
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return opts;
}

// base/ and every directory under overlays/ (common/ is a shared piece, not deployable alone).
function targets() {
  const overlays = readdirSync(join(kubeDir, "overlays"), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => `overlays/${d.name}`)
    .sort();
  return ["base", ...overlays];
}

function render(kubectl, target) {
  const out = execFileSync(kubectl, ["kustomize", join(kubeDir, target)], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  const docs = YAML.parseAllDocuments(out);
  for (const d of docs) if (d.errors.length) throw new Error(`${target}: ${d.errors[0].message}`);
  return docs.map((d) => d.toJS()).filter((o) => o);
}

// kubernetes-models/<group>/<version>/<Kind>, or kubernetes-models/v1/<Kind> for the core group.
async function schemaCheck(obj) {
  const [group, version] = obj.apiVersion.includes("/")
    ? obj.apiVersion.split("/")
    : ["", obj.apiVersion];
  const path = group ? `kubernetes-models/${group}/${version}/${obj.kind}` : `kubernetes-models/v1/${obj.kind}`;
  let mod;
  try {
    mod = await import(path);
  } catch {
    return [`${obj.kind} ${obj.metadata?.name}: no schema for ${obj.apiVersion} ${obj.kind}`];
  }
  try {
    new mod[obj.kind](obj).validate();
    return [];
  } catch (e) {
    return [`${obj.kind} ${obj.metadata?.name}: schema: ${e.message}`];
  }
}

function argValue(args, flag) {
  const i = (args || []).indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

function checkImage(image, where, errs) {
  // name[:tag][@digest]; the tag is after the last ':' that follows the last '/'.
  const [nameTag, digest] = image.split("@");
  const slash = nameTag.lastIndexOf("/");
  const colon = nameTag.lastIndexOf(":");
  const tag = colon > slash ? nameTag.slice(colon + 1) : "";
  if (!digest && !tag) errs.push(`${where}: image ${image} has neither tag nor digest`);
  if (tag === "latest") errs.push(`${where}: image ${image} uses the latest tag`);
}

function checkPod(spec, where, errs) {
  const sc = spec.securityContext || {};
  if (sc.runAsNonRoot !== true) errs.push(`${where}: pod securityContext.runAsNonRoot is not true`);
  if (sc.runAsUser !== kUid) errs.push(`${where}: pod runAsUser is ${sc.runAsUser}, not ${kUid}`);
  if (sc.fsGroup !== kUid) errs.push(`${where}: pod fsGroup is ${sc.fsGroup}, not ${kUid}`);
  const tols = spec.tolerations || [];
  for (const key of ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]) {
    const t = tols.find((x) => x.key === key && x.effect === "NoExecute");
    if (!t || !Number.isInteger(t.tolerationSeconds))
      errs.push(`${where}: no NoExecute toleration with tolerationSeconds for ${key}`);
  }
  const containers = spec.containers || [];
  if (containers.length !== 1) errs.push(`${where}: ${containers.length} containers, expected 1`);
  for (const c of [...containers, ...(spec.initContainers || [])]) {
    const cw = `${where} container ${c.name}`;
    checkImage(c.image || "", cw, errs);
    const csc = c.securityContext || {};
    if (csc.readOnlyRootFilesystem !== true) errs.push(`${cw}: readOnlyRootFilesystem is not true`);
    if (csc.allowPrivilegeEscalation !== false) errs.push(`${cw}: allowPrivilegeEscalation is not false`);
    if (csc.runAsUser === 0) errs.push(`${cw}: runs as root`);
    if (!(csc.capabilities?.drop || []).includes("ALL")) errs.push(`${cw}: capabilities not all dropped`);
    if ((csc.capabilities?.add || []).length) errs.push(`${cw}: adds capabilities`);
    for (const kind of ["requests", "limits"])
      for (const r of ["cpu", "memory"])
        if (!c.resources?.[kind]?.[r]) errs.push(`${cw}: no resources.${kind}.${r}`);
  }
  const c = containers[0];
  if (!c) return;
  const cw = `${where} container ${c.name}`;
  const ports = Object.fromEntries((c.ports || []).map((p) => [p.name, p.containerPort]));
  if (ports.tds !== 1433) errs.push(`${cw}: port tds is not 1433`);
  const httpListen = argValue(c.args, "--http");
  if (!httpListen || Number(httpListen.split(":").pop()) !== ports.http)
    errs.push(`${cw}: --http ${httpListen} does not match the container port named http (${ports.http})`);
  if (argValue(c.args, "--listen") !== "0.0.0.0:1433") errs.push(`${cw}: --listen is not 0.0.0.0:1433`);
  if (argValue(c.args, "--data-dir") !== kDataDir) errs.push(`${cw}: --data-dir is not ${kDataDir}`);
  const probes = { startupProbe: "/livez", readinessProbe: "/readyz", livenessProbe: "/livez" };
  for (const [probe, path] of Object.entries(probes)) {
    const p = c[probe];
    if (!p) errs.push(`${cw}: no ${probe}`);
    else if (p.httpGet?.path !== path || (p.httpGet?.port !== "http" && p.httpGet?.port !== ports.http))
      errs.push(`${cw}: ${probe} is not GET ${path} on the http port`);
  }
  const graceMs = Number(argValue(c.args, "--shutdown-grace-ms") ?? 10000);
  const budget = spec.terminationGracePeriodSeconds ?? 30;
  if (budget * 1000 < graceMs + 5000)
    errs.push(`${where}: terminationGracePeriodSeconds ${budget} leaves under 5 s after --shutdown-grace-ms ${graceMs}`);
  const mounts = Object.fromEntries((c.volumeMounts || []).map((m) => [m.mountPath, m]));
  if (!mounts[kDataDir]) errs.push(`${cw}: nothing mounted at ${kDataDir}`);
  if (!mounts["/tmp"] || mounts["/tmp"].readOnly) errs.push(`${cw}: no writable /tmp (the root is read-only)`);
}

// The Secret the password file comes from: MSSQL_SA_PASSWORD_FILE must name a key of a mounted
// Secret volume whose (hash-suffixed) name is the rendered Secret's.
function checkSecret(objs, spec, where, errs) {
  const c = (spec.containers || [])[0];
  if (!c) return;
  const env = (c.env || []).find((e) => e.name === "MSSQL_SA_PASSWORD_FILE");
  if (!env) return errs.push(`${where}: no MSSQL_SA_PASSWORD_FILE`);
  const mount = (c.volumeMounts || []).find((m) => env.value.startsWith(m.mountPath + "/"));
  const vol = mount && (spec.volumes || []).find((v) => v.name === mount.name);
  if (!vol?.secret) return errs.push(`${where}: ${env.value} is not in a mounted Secret`);
  const secret = objs.find((o) => o.kind === "Secret" && o.metadata.name === vol.secret.secretName);
  if (!secret) return errs.push(`${where}: Secret ${vol.secret.secretName} is not in the render`);
  const key = env.value.slice(mount.mountPath.length + 1);
  if (!(secret.data || {})[key] && !(secret.stringData || {})[key])
    errs.push(`${where}: Secret ${secret.metadata.name} has no key ${key}`);
}

function withoutDataVolume(template) {
  const t = structuredClone(template);
  t.spec.volumes = (t.spec.volumes || []).filter((v) => v.name !== "data");
  return JSON.stringify(t);
}

function policy(target, objs, baseDeployment) {
  const errs = [];
  const where = (o) => `${target}: ${o.kind} ${o.metadata?.name}`;
  const workloads = objs.filter((o) => ["Deployment", "StatefulSet", "ReplicaSet", "Pod"].includes(o.kind));
  if (workloads.length !== 1) errs.push(`${target}: ${workloads.length} workloads, expected exactly 1`);
  const pvcs = objs.filter((o) => o.kind === "PersistentVolumeClaim");
  const services = objs.filter((o) => o.kind === "Service");
  for (const w of workloads) {
    if (w.spec.replicas !== 1) errs.push(`${where(w)}: replicas ${w.spec.replicas}, expected 1`);
    const spec = w.spec.template?.spec || {};
    checkPod(spec, where(w), errs);
    checkSecret(objs, spec, where(w), errs);
    const labels = w.spec.template?.metadata?.labels || {};
    const dataVol = (spec.volumes || []).find((v) => v.name === "data");
    if (w.kind === "Deployment") {
      if (w.spec.strategy?.type !== "Recreate") errs.push(`${where(w)}: strategy is not Recreate`);
      const claim = dataVol?.persistentVolumeClaim?.claimName;
      if (!pvcs.some((p) => p.metadata.name === claim))
        errs.push(`${where(w)}: data volume's claim ${claim} is not in the render`);
    } else if (w.kind === "StatefulSet") {
      if (!(w.spec.volumeClaimTemplates || []).some((t) => t.metadata.name === "data"))
        errs.push(`${where(w)}: no volumeClaimTemplate named data`);
      if (!services.some((s) => s.metadata.name === w.spec.serviceName && s.spec.clusterIP === "None"))
        errs.push(`${where(w)}: serviceName ${w.spec.serviceName} is not a headless Service in the render`);
      if (baseDeployment && withoutDataVolume(w.spec.template) !== withoutDataVolume(baseDeployment.spec.template))
        errs.push(`${where(w)}: pod template differs from the base Deployment's (besides the data volume)`);
    } else {
      errs.push(`${where(w)}: not a Deployment or StatefulSet`);
    }
    const tds = services.filter((s) => (s.spec.ports || []).some((p) => p.port === 1433) && s.spec.clusterIP !== "None");
    if (tds.length !== 1) errs.push(`${target}: ${tds.length} client Services on 1433, expected 1`);
    for (const s of services) {
      const sel = s.spec.selector || {};
      if (!Object.keys(sel).length || !Object.entries(sel).every(([k, v]) => labels[k] === v))
        errs.push(`${where(s)}: selector does not select the pod`);
    }
    const wantType = target === "overlays/clusterip" ? "ClusterIP" : "LoadBalancer";
    for (const s of tds) if ((s.spec.type || "ClusterIP") !== wantType) errs.push(`${where(s)}: type ${s.spec.type}, expected ${wantType}`);
  }
  const wantMode = target === "overlays/readwriteoncepod" ? "ReadWriteOncePod" : "ReadWriteOnce";
  const claims = [...pvcs.map((p) => [p, p.spec]), ...workloads.flatMap((w) => (w.spec.volumeClaimTemplates || []).map((t) => [w, t.spec]))];
  if (!claims.length) errs.push(`${target}: no PersistentVolumeClaim`);
  for (const [o, spec] of claims)
    if (JSON.stringify(spec.accessModes) !== JSON.stringify([wantMode]))
      errs.push(`${where(o)}: access modes ${spec.accessModes}, expected ${wantMode}`);
  if (!objs.some((o) => o.kind === "Secret")) errs.push(`${target}: no Secret`);
  return errs;
}

// The Dockerfile's stages: every FROM pinned (not latest), and the final stage's USER, EXPOSE,
// VOLUME, ENTRYPOINT and CMD as the Deployment expects them.
function dockerfileCheck(text, deployment) {
  const errs = [];
  const lines = text.replace(/\\\n/g, " ").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
  const args = Object.fromEntries(lines.filter((l) => /^ARG /i.test(l)).map((l) => l.slice(4).split("=")).filter((kv) => kv.length === 2));
  const froms = lines.filter((l) => /^FROM /i.test(l)).map((l) => l.split(/\s+/)[1].replace(/^\$\{(\w+)\}$/, (_, n) => args[n] ?? ""));
  for (const f of froms) if (f !== "scratch") checkImage(f, "Dockerfile FROM", errs);
  const last = lines.slice(lines.map((l) => /^FROM /i.test(l)).lastIndexOf(true));
  const get = (ins) => last.filter((l) => l.toUpperCase().startsWith(ins + " ")).map((l) => l.slice(ins.length + 1).trim());
  if (!/^10001(:10001)?$/.test(get("USER").pop() || "")) errs.push("Dockerfile: final stage USER is not 10001");
  if (!(get("EXPOSE").join(" ").split(/\s+/)).includes("1433")) errs.push("Dockerfile: 1433 not exposed");
  if (!get("VOLUME").some((v) => v.includes(kDataDir))) errs.push(`Dockerfile: ${kDataDir} not a VOLUME`);
  const json = (ins) => { try { return JSON.parse(get(ins).pop()); } catch { return null; } };
  const entry = json("ENTRYPOINT");
  if (JSON.stringify(entry) !== JSON.stringify(["/usr/bin/edgesql", "up"]))
    errs.push("Dockerfile: ENTRYPOINT is not the exec form [\"/usr/bin/edgesql\", \"up\"]");
  const cmd = json("CMD");
  const depArgs = deployment?.spec.template.spec.containers[0].args;
  if (JSON.stringify(cmd) !== JSON.stringify(depArgs))
    errs.push(`Dockerfile: CMD ${JSON.stringify(cmd)} differs from the Deployment's args ${JSON.stringify(depArgs)}`);
  return errs;
}

async function checkAll(rendered, dockerText) {
  const errs = [];
  const baseDeployment = rendered.base?.find((o) => o.kind === "Deployment");
  for (const [target, objs] of Object.entries(rendered)) {
    for (const o of objs) errs.push(...(await schemaCheck(o)).map((e) => `${target}: ${e}`));
    errs.push(...policy(target, objs, baseDeployment));
  }
  errs.push(...dockerfileCheck(dockerText, baseDeployment));
  return errs;
}

// Each mutation must make checkAll report at least one finding mentioning `expect`.
const mutations = [
  ["RollingUpdate strategy", "base", "Deployment", (o) => { o.spec.strategy = { type: "RollingUpdate" }; }, "Recreate"],
  ["two replicas", "overlays/statefulset", "StatefulSet", (o) => { o.spec.replicas = 2; }, "replicas"],
  ["no liveness probe", "base", "Deployment", (o) => { delete o.spec.template.spec.containers[0].livenessProbe; }, "livenessProbe"],
  ["readiness on /livez", "overlays/clusterip", "Deployment", (o) => { o.spec.template.spec.containers[0].readinessProbe.httpGet.path = "/livez"; }, "readinessProbe"],
  ["runs as root", "base", "Deployment", (o) => { o.spec.template.spec.securityContext.runAsNonRoot = false; }, "runAsNonRoot"],
  ["writable root", "base", "Deployment", (o) => { o.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = false; }, "readOnlyRootFilesystem"],
  ["latest tag", "base", "Deployment", (o) => { o.spec.template.spec.containers[0].image = "edgesql:latest"; }, "latest"],
  ["untagged image", "overlays/readwriteoncepod", "Deployment", (o) => { o.spec.template.spec.containers[0].image = "registry:5000/edgesql"; }, "neither tag"],
  ["schema: replicas as string", "base", "Deployment", (o) => { o.spec.replicas = "1"; }, "schema"],
  ["schema: port as string", "base", "Service", (o) => { o.spec.ports[0].port = "1433"; }, "schema"],
  ["schema: missing container name", "overlays/statefulset", "StatefulSet", (o) => { delete o.spec.template.spec.containers[0].name; }, "schema"],
  ["short grace period", "base", "Deployment", (o) => { o.spec.template.spec.terminationGracePeriodSeconds = 10; }, "terminationGracePeriodSeconds"],
  ["no tolerations", "base", "Deployment", (o) => { delete o.spec.template.spec.tolerations; }, "toleration"],
  ["wrong Secret name", "base", "Deployment", (o) => { o.spec.template.spec.volumes.find((v) => v.secret).secret.secretName = "edgesql-sa"; }, "Secret"],
  ["RWX volume", "overlays/readwriteoncepod", "PersistentVolumeClaim", (o) => { o.spec.accessModes = ["ReadWriteMany"]; }, "ReadWriteOncePod"],
  ["StatefulSet pod drifts", "overlays/statefulset", "StatefulSet", (o) => { o.spec.template.spec.containers[0].resources.limits.memory = "2Gi"; }, "differs"],
  ["capability added", "base", "Deployment", (o) => { o.spec.template.spec.containers[0].securityContext.capabilities.add = ["NET_ADMIN"]; }, "capabilities"],
];

async function selfTest(rendered, dockerText) {
  const failures = [];
  for (const [name, target, kind, mutate, expect] of mutations) {
    const copy = structuredClone(rendered);
    const obj = copy[target].find((o) => o.kind === kind);
    mutate(obj);
    const errs = await checkAll(copy, dockerText);
    if (!errs.some((e) => e.includes(expect))) failures.push(`self-test "${name}": not reported (findings: ${errs.join("; ") || "none"})`);
  }
  const dockerMutations = [
    ["Dockerfile latest", dockerText.replace(/^(ARG DEBIAN_IMAGE=[^:\n]+):\S+$/m, "$1:latest"), "latest"],
    ["Dockerfile root", dockerText.replace("USER 10001:10001", "USER root"), "USER"],
    ["Dockerfile CMD drift", dockerText.replace('"20000"', '"10000"'), "CMD"],
  ];
  for (const [name, text, expect] of dockerMutations) {
    if (text === dockerText) { failures.push(`self-test "${name}": mutation did not apply`); continue; }
    const errs = await checkAll(rendered, text);
    if (!errs.some((e) => e.includes(expect))) failures.push(`self-test "${name}": not reported`);
  }
  return failures;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  let version;
  try {
    version = execFileSync(opts.kubectl, ["version", "--client"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    console.error(`FAIL: cannot run ${opts.kubectl} (${e.message.split("\n")[0]}); scripts/install-deps installs it`);
    process.exit(1);
  }
  console.log(`kubectl: ${version.trim().split("\n").join("; ")}`);
  const rendered = {};
  const errs = [];
  for (const t of targets()) {
    try {
      rendered[t] = render(opts.kubectl, t);
      console.log(`rendered ${t}: ${rendered[t].map((o) => `${o.kind}/${o.metadata.name}`).join(", ")}`);
    } catch (e) {
      errs.push(`${t}: kubectl kustomize failed: ${(e.stderr || e.message).toString().trim()}`);
    }
  }
  if (!existsSync(dockerfile)) errs.push(`${dockerfile} is missing`);
  const dockerText = existsSync(dockerfile) ? readFileSync(dockerfile, "utf8") : "";
  if (!errs.length) {
    errs.push(...(await checkAll(rendered, dockerText)));
    const count = Object.values(rendered).reduce((n, objs) => n + objs.length, 0);
    console.log(`schema and policy checks on ${count} objects in ${Object.keys(rendered).length} renders and the Dockerfile`);
    if (opts.selfTest && !errs.length) {
      const st = await selfTest(rendered, dockerText);
      console.log(`self-test: ${mutations.length + 3 - st.length} of ${mutations.length + 3} deliberate breaks reported`);
      errs.push(...st);
    }
  }
  for (const e of errs) console.log(`FAIL: ${e}`);
  console.log(errs.length ? `${errs.length} finding(s)` : "all manifests valid");
  process.exit(errs.length ? 1 : 0);
}

main().catch((e) => {
  console.error(`FAIL: ${e.stack || e}`);
  process.exit(1);
});
