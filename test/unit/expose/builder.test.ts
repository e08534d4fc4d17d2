// workload → Service over the workload shapes users expose: the Service exactly as expose would
// send it, and the errors that stop it with the flag to pass.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ExitCode, SvcTraceError } from '../../../src/errors.js';
import { buildService } from '../../../src/expose/builder.js';
import { missingChoiceError, openChoices, portsForCandidates } from '../../../src/expose/plan.js';
import { planOf, serviceOf } from './fixtures.js';

// A usage error (exit 2) whose message matches.
function usage(pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof SvcTraceError, String(error));
    assert.equal(error.exitCode, ExitCode.usage);
    assert.match(error.message, pattern);
    return true;
  };
}

describe('Deployment with two named ports', () => {
  test('--port http,metrics --type ClusterIP: selector from matchLabels, named targetPorts, the workload labels', () => {
    assert.deepEqual(serviceOf('deploy/web', { port: ['http,metrics'], type: 'ClusterIP' }), {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'shop', labels: { app: 'web', tier: 'frontend' } },
      spec: {
        type: 'ClusterIP',
        selector: { app: 'web' },
        ports: [
          { name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' },
          { name: 'metrics', port: 9090, targetPort: 'metrics', protocol: 'TCP' },
        ],
      },
    });
  });

  test('the selector is matchLabels only, not the template labels (tier=frontend is not in it)', () => {
    assert.deepEqual(serviceOf('deploy/web', { port: ['http'], type: 'ClusterIP' }).spec.selector, { app: 'web' });
  });

  test('without --port and --type both choices are open, and the error names both flags', () => {
    const { plan } = planOf('deploy/web');
    assert.deepEqual(openChoices(plan), ['ports', 'type']);
    const error = missingChoiceError(plan, openChoices(plan));
    assert.equal(error.exitCode, ExitCode.usage);
    assert.match(error.message, /--port \(deployment\/web declares http 8080\/TCP, metrics 9090\/TCP\) and the Service type with --type/);
    assert.match(error.hint, /--port http,metrics/);
  });

  test('--port 80 matches no container port of two: refused, saying PORT:TARGET', () => {
    assert.throws(() => planOf('deploy/web', { port: ['80'], type: 'ClusterIP' }), usage(/--port 80 is not a container port of deployment\/web, which declares http 8080\/TCP/));
  });

  test('--port 80:http maps Service port 80 to the named container port', () => {
    assert.deepEqual(serviceOf('deploy/web', { port: ['80:http'], type: 'ClusterIP' }).spec.ports, [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);
  });

  test('--port 80:8080 keeps the number the user wrote as targetPort', () => {
    assert.deepEqual(serviceOf('deploy/web', { port: ['80:8080'], type: 'ClusterIP' }).spec.ports, [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }]);
  });

  test('a container port name that does not exist is refused with the ones that do', () => {
    assert.throws(() => planOf('deploy/web', { port: ['grpc'], type: 'ClusterIP' }), (error: SvcTraceError) => {
      assert.match(error.message, /has no container port named "grpc"/);
      assert.match(error.hint, /http 8080\/TCP \(container web\), metrics 9090\/TCP/);
      return true;
    });
  });

  test('--node-port and --external-traffic-policy go on a NodePort Service, in port order', () => {
    const service = serviceOf('deploy/web', { port: ['http,metrics'], type: 'NodePort', nodePort: ['30080'], externalTrafficPolicy: 'local', sessionAffinity: 'ClientIP' });
    assert.equal(service.spec.type, 'NodePort');
    assert.deepEqual(service.spec.ports!.map((p) => p.nodePort), [30080, undefined]);
    assert.equal(service.spec.externalTrafficPolicy, 'Local');
    assert.equal(service.spec.sessionAffinity, 'ClientIP');
  });

  test('more node ports than Service ports is refused', () => {
    assert.throws(() => planOf('deploy/web', { port: ['http'], type: 'NodePort', nodePort: ['30080,30081'] }), usage(/2 node ports for 1 Service port/));
  });

  test('a node port on a type left open only offers NodePort and LoadBalancer', () => {
    const { plan } = planOf('deploy/web', { port: ['http'], nodePort: ['30080'] });
    assert.deepEqual(plan.kinds, ['NodePort', 'LoadBalancer']);
  });

  test('the wizard picking metrics only gives one Service port named after it', () => {
    const { plan, request } = planOf('deploy/web', { type: 'ClusterIP' });
    const service = buildService(plan, request, { ports: portsForCandidates(plan, [plan.candidates[1]!]), kind: 'ClusterIP', name: 'web-metrics' });
    assert.equal(service.metadata.name, 'web-metrics');
    assert.deepEqual(service.spec.ports, [{ name: 'metrics', port: 9090, targetPort: 'metrics', protocol: 'TCP' }]);
  });
});

describe('one unnamed port', () => {
  test('decided without --port: an unnamed Service port to the container port number', () => {
    const service = serviceOf('deploy/api', { type: 'ClusterIP' });
    assert.deepEqual(service.spec.ports, [{ port: 8080, targetPort: 8080, protocol: 'TCP' }]);
  });

  test('--port 80 goes to the only container port', () => {
    assert.deepEqual(serviceOf('deploy/api', { port: ['80'], type: 'ClusterIP' }).spec.ports, [{ port: 80, targetPort: 8080, protocol: 'TCP' }]);
  });

  test('--target-port overrides the target of the single port', () => {
    assert.deepEqual(serviceOf('deploy/api', { port: ['80'], targetPort: '8081', type: 'ClusterIP' }).spec.ports, [{ port: 80, targetPort: 8081, protocol: 'TCP' }]);
  });

  test('LoadBalancer type is kept', () => {
    assert.equal(serviceOf('deploy/api', { type: 'loadbalancer' }).spec.type, 'LoadBalancer');
  });
});

describe('several containers with clashing port names', () => {
  test('the second "metrics" is targeted by number (a named targetPort finds the first) and gets a unique name', () => {
    const { plan } = planOf('deploy/mesh', { type: 'ClusterIP' });
    assert.deepEqual(portsForCandidates(plan, plan.candidates), [
      { name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' },
      { name: 'metrics', port: 9090, targetPort: 'metrics', protocol: 'TCP' },
      { name: 'proxy-metrics', port: 15090, targetPort: 15090, protocol: 'TCP' },
      { name: 'tcp-15000', port: 15000, targetPort: 15000, protocol: 'TCP' },
    ]);
  });

  test('--port metrics names the first container port of that name', () => {
    assert.deepEqual(serviceOf('deploy/mesh', { port: ['metrics'], type: 'ClusterIP' }).spec.ports, [{ name: 'metrics', port: 9090, targetPort: 'metrics', protocol: 'TCP' }]);
  });
});

describe('UDP and TCP on one number (a DaemonSet of DNS servers)', () => {
  test('every port keeps its protocol; names are unique; the unnamed one is named by protocol and number', () => {
    const { plan } = planOf('ds/dns', { type: 'ClusterIP' });
    assert.deepEqual(portsForCandidates(plan, plan.candidates), [
      { name: 'dns', port: 53, targetPort: 'dns', protocol: 'UDP' },
      { name: 'dns-tcp', port: 53, targetPort: 'dns-tcp', protocol: 'TCP' },
      { name: 'tcp-9153', port: 9153, targetPort: 9153, protocol: 'TCP' },
    ]);
  });

  test('--port 53 gives both protocols', () => {
    assert.deepEqual(serviceOf('ds/dns', { port: ['53'], type: 'ClusterIP' }).spec.ports!.map((p) => `${p.name} ${p.port}/${p.protocol}`), ['dns 53/UDP', 'dns-tcp 53/TCP']);
  });

  test('--protocol UDP without --port narrows to the UDP ports, which settles the choice', () => {
    const { plan } = planOf('ds/dns', { protocol: 'udp', type: 'ClusterIP' });
    assert.deepEqual(openChoices(plan), []);
    assert.deepEqual(plan.ports, [{ name: 'dns', port: 53, targetPort: 'dns', protocol: 'UDP' }]);
  });

  test('--protocol SCTP on a workload without SCTP ports is refused', () => {
    assert.throws(() => planOf('ds/dns', { protocol: 'SCTP', type: 'ClusterIP' }), usage(/declares no SCTP container port/));
  });
});

describe('native sidecars and init containers', () => {
  test('a sidecar (restartPolicy Always) port is offered; an ordinary init container port is not', () => {
    const { plan } = planOf('deploy/logs', { type: 'ClusterIP' });
    assert.deepEqual(
      plan.candidates.map((c) => `${c.name}/${c.protocol} ${c.container}`),
      ['syslog/UDP logs', 'http/TCP logs', 'admin/TCP shipper'],
    );
  });
});

describe('no container ports', () => {
  test('a clear error asking for --port', () => {
    assert.throws(() => planOf('deploy/worker', { type: 'ClusterIP' }), (error: SvcTraceError) => {
      assert.equal(error.exitCode, ExitCode.usage);
      assert.equal(error.message, 'deployment/worker declares no container ports, so expose cannot tell which port to expose');
      assert.match(error.hint, /pass --port PORT or --port PORT:TARGET/);
      return true;
    });
  });

  test('with --port 80:8080 it works, and says that no container declares 8080', () => {
    const { plan } = planOf('deploy/worker', { port: ['80:8080'], type: 'ClusterIP' });
    assert.deepEqual(plan.ports, [{ port: 80, targetPort: 8080, protocol: 'TCP' }]);
    assert.match(plan.notes.join('\n'), /no container of deployment\/worker declares port 8080\/TCP/);
  });
});

describe('selectors', () => {
  test('matchExpressions is refused: a Service selector is a plain map', () => {
    assert.throws(() => planOf('deploy/canary', { type: 'ClusterIP' }), (error: SvcTraceError) => {
      assert.equal(error.exitCode, ExitCode.usage);
      assert.match(error.message, /deployment\/canary selects its pods with matchExpressions \(app=shop,track in \(canary,stable\)\), which a Service selector cannot express: it is a plain map of labels/);
      assert.match(error.hint, /--selector .*app=shop,track=canary/);
      return true;
    });
  });

  test('--selector replaces it when it selects the template', () => {
    assert.deepEqual(serviceOf('deploy/canary', { type: 'ClusterIP', selector: 'app=shop,track=canary' }).spec.selector, { app: 'shop', track: 'canary' });
  });

  test('--selector that does not select the pods is refused', () => {
    assert.throws(() => planOf('deploy/web', { type: 'ClusterIP', port: ['http'], selector: 'app=api' }), usage(/--selector app=api does not select the pods of deployment\/web/));
  });
});

describe('StatefulSet, ReplicaSet', () => {
  test('a headless Service for a StatefulSet: --cluster-ip None decides the type', () => {
    const { plan } = planOf('sts/db', { clusterIP: 'None' });
    assert.equal(plan.kind, 'Headless');
    const service = serviceOf('sts/db', { clusterIP: 'None' });
    assert.deepEqual(service.spec, { type: 'ClusterIP', clusterIP: 'None', selector: { app: 'db' }, ports: [{ name: 'postgres', port: 5432, targetPort: 'postgres', protocol: 'TCP' }] });
  });

  test('a ReplicaSet', () => {
    const service = serviceOf('rs/cache', { type: 'ClusterIP' });
    assert.deepEqual(service.spec.selector, { app: 'cache' });
    assert.deepEqual(service.spec.ports, [{ port: 6379, targetPort: 6379, protocol: 'TCP' }]);
  });
});

describe('Pods', () => {
  test('a bare Pod: its labels are the selector', () => {
    const service = serviceOf('pod/debug', { type: 'ClusterIP' });
    assert.deepEqual(service.spec.selector, { run: 'debug' });
    assert.deepEqual(service.spec.ports, [{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }]);
  });

  test('a pod of a Deployment: pod-template-hash is left out (it changes at every rollout), and a note says so', () => {
    const { plan } = planOf('pod/web-746449dc89-b22ff', { type: 'ClusterIP', port: ['http'] }, 'pod-web-replica');
    assert.deepEqual(plan.workload.selector, { app: 'web', tier: 'frontend' });
    assert.match(plan.notes[0]!, /belongs to ReplicaSet web-746449dc89: the Service selects every pod labelled app=web,tier=frontend/);
  });

  test('a StatefulSet pod keeps its pod-name label, so the Service selects that one pod', () => {
    const { plan } = planOf('pod/db-0', { type: 'ClusterIP' }, 'pod-db-0');
    assert.deepEqual(plan.workload.selector, { app: 'db', 'apps.kubernetes.io/pod-index': '0', 'statefulset.kubernetes.io/pod-name': 'db-0' });
    assert.match(plan.notes[0]!, /selects this one pod \(statefulset\.kubernetes\.io\/pod-name=db-0\); expose statefulset\/db for all its pods/);
  });

  test('a pod without labels is refused: a Service selects by label', () => {
    assert.throws(() => planOf('pod/scratch', { type: 'ClusterIP' }), usage(/pod\/scratch has no labels, and a Service selects its pods by label/));
  });
});

describe('names', () => {
  test('a workload name that is no Service name leaves the name open', () => {
    const { plan } = planOf('deploy/web.v2', { type: 'ClusterIP' });
    assert.deepEqual(openChoices(plan), ['name']);
    assert.match(missingChoiceError(plan, ['name']).message, /a Service name with --name \("web\.v2" is not one: only lower-case letters, digits and "-" are allowed\)/);
  });

  test('--name settles it', () => {
    assert.equal(serviceOf('deploy/web.v2', { type: 'ClusterIP', name: 'web-v2' }).metadata.name, 'web-v2');
  });
});
