// Objects the end-to-end tests create on the local control plane (and bench/forward.mjs and
// bench/probe.mjs, which import the build of this file): a Deployment with its Service, and the
// KWOK rules that lead a fake pod's port to a server on this machine (KWOK's PortForward and
// ClusterPortForward kinds, which test/cluster/up.sh enables).

// A Deployment NAME of REPLICAS KWOK pods that declare port `http` (8080).
export const deployment = (name: string, replicas: number) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: ${name}, image: example.test/${name}:1, ports: [{name: http, containerPort: 8080}]}]
`;

// A Service NAME for the pods labelled app=APP, with one port `http`.
export const service = (name: string, { app = name, port, targetPort = 'http' }: { app?: string; port: number; targetPort?: string | number }) => `
apiVersion: v1
kind: Service
metadata: {name: ${name}}
spec:
  selector: {app: ${app}}
  ports: [{name: http, port: ${port}, targetPort: ${targetPort}}]
`;

// Several manifests as one `kubectl apply -f -` input.
export const manifests = (...documents: string[]) => documents.join('---\n');

// Pod port → the local port on 127.0.0.1 that KWOK connects it to.
export type Forwards = Record<number, number>;

const forwardList = (forwards: Forwards) =>
  Object.entries(forwards)
    .map(([podPort, localPort]) => `{ports: [${podPort}], target: {port: ${localPort}, address: 127.0.0.1}}`)
    .join(', ');

// The ports of one pod (a PortForward is named after its pod).
export const portForwardRule = (namespace: string, pod: string, forwards: Forwards) => `
apiVersion: kwok.x-k8s.io/v1alpha1
kind: PortForward
metadata: {name: ${pod}, namespace: ${namespace}}
spec:
  forwards: [${forwardList(forwards)}]
`;

// The ports of every pod of NAMESPACE that has no PortForward of its own (cluster-scoped: delete it
// by NAME afterwards).
export const clusterPortForwardRule = (name: string, namespace: string, forwards: Forwards) => `
apiVersion: kwok.x-k8s.io/v1alpha1
kind: ClusterPortForward
metadata: {name: ${name}}
spec:
  selector: {matchNamespaces: [${namespace}]}
  forwards: [${forwardList(forwards)}]
`;
