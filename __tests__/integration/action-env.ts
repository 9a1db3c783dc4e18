// The environment and inputs a runner gives dist/index.js on the bed (shared by the publish tests).
import {FIXED_EPOCH, loadEvent} from '../helpers/fixtures.js';
import type {Bed} from './bed.js';

export function actionEnv(bed: Bed, runnerTemp: string, event = 'ip_tag_v1.0.0'): Record<string, string> {
  return {
    ...loadEvent(event).env,
    PATH: `${bed.binDir}:${process.env.PATH ?? ''}`,
    DOCKER_CONFIG: bed.docker.config,
    NODE_EXTRA_CA_CERTS: bed.prodRegistry.caCert,
    SSL_CERT_FILE: bed.caBundle,
    RUNNER_TEMP: runnerTemp,
    SOURCE_DATE_EPOCH: FIXED_EPOCH
  };
}

/** The engine-specific inputs; everything else is the same for both. */
export function engineInputs(bed: Bed, engine: string): Record<string, string> {
  return engine === 'buildx'
    ? {builder: bed.buildkit.builder, provenance: 'false'}
    : {engine, 'engine-flags': bed.buildah.storageFlags, isolation: bed.buildah.isolation};
}
