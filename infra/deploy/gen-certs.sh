#!/bin/sh
# Certificates for the EventStoreDB cluster (a private CA and one certificate per node), with EventStore's
# es-gencert-cli image. Run once from infra/deploy; keep ./certs/ca/ca.key offline afterwards.
set -eu
mkdir -p certs
docker run --rm -v "$PWD/certs:/certs" --user "$(id -u):$(id -g)" eventstore/es-gencert-cli:1.3.0 create-ca -out /certs/ca
for node in eventstore1 eventstore2 eventstore3; do
  docker run --rm -v "$PWD/certs:/certs" --user "$(id -u):$(id -g)" eventstore/es-gencert-cli:1.3.0 \
    create-node -ca-certificate /certs/ca/ca.crt -ca-key /certs/ca/ca.key -out "/certs/$node" -dns-names "$node,localhost"
done
