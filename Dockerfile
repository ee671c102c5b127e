# GPU image for the closure toolkit: CUDA runtime, Go, Jupyter with the GoNB kernel, the
# project, the PJRT CUDA plugin for GoMLX's XLA backend, and plotly.js served locally.
#
# Build:  docker build -t closure:gpu .
# Run:    docker run --rm --gpus all -p 127.0.0.1:8888:8888 -v "$PWD/runs:/home/closure/runs" closure:gpu
# Jupyter then listens on the host's loopback address only and asks for the token it prints.
#
# NOTE: this image has not been built: the machines where it was written run no Docker daemon.
# environment.md lists what to check on the first build.

ARG CUDA_IMAGE=nvidia/cuda:13.0.1-cudnn-runtime-ubuntu24.04
ARG GO_VERSION=1.26.8

FROM golang:${GO_VERSION}-bookworm AS go

FROM ${CUDA_IMAGE}
ARG JAX_PJRT_VERSION=0.11.2
ARG PLOTLY_VERSION=2.34.0

ENV DEBIAN_FRONTEND=noninteractive \
    GOPATH=/home/closure/go \
    PATH=/usr/local/go/bin:/home/closure/go/bin:/opt/venv/bin:$PATH \
    GOMLX_NO_AUTO_INSTALL=1

# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates git gcc libc6-dev \
      python3 python3-venv nodejs npm \
 && rm -rf /var/lib/apt/lists/*

COPY --from=go /usr/local/go /usr/local/go

# Jupyter and the PJRT CUDA plugin of jax, pinned. The plugin is a shared library that
# GoMLX's XLA backend loads by absolute path (see GOMLX_BACKEND below).
RUN python3 -m venv /opt/venv \
 && /opt/venv/bin/pip install --no-cache-dir notebook==6.5.7 nbconvert==7.16.4 \
      "jax-cuda13-pjrt==${JAX_PJRT_VERSION}"

RUN useradd --create-home --shell /bin/bash closure
USER closure
WORKDIR /home/closure/closure

COPY --chown=closure:closure . .

# GoNB and goimports at the versions pinned in tools/go.mod; the kernel is registered for
# the non-root user. Then the command-line program, and plotly.js for offline plots.
RUN (cd tools && go install tool) \
 && gonb --install --force_deps --raw_error \
 && CGO_ENABLED=1 go build -tags xla -o /home/closure/go/bin/closure ./cmd/closure \
 && npm pack --silent "plotly.js-dist-min@${PLOTLY_VERSION}" \
 && tar -xzf "plotly.js-dist-min-${PLOTLY_VERSION}.tgz" package/plotly.min.js \
 && mv package/plotly.min.js notebooks/plotly.min.js \
 && rm -rf package "plotly.js-dist-min-${PLOTLY_VERSION}.tgz"

# The pure-Go backend stays the default. The closure binary is built with `-tags xla`, so
# `docker run -e GOMLX_BACKEND=xla:<plugin path> ...` (the path below) runs its models on the GPU.
ENV CLOSURE_XLA_PLUGIN=/opt/venv/lib/python3.12/site-packages/jax_plugins/xla_cuda13/xla_cuda_plugin.so

EXPOSE 8888
CMD ["jupyter", "notebook", "--no-browser", "--ip=0.0.0.0", "--port=8888", "--notebook-dir=/home/closure/closure/notebooks"]
