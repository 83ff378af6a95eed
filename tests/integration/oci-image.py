#!/usr/bin/env python3
"""oci-image.py ROOTFS_TAR OUT_TAR NAME: an OCI image archive (one uncompressed layer) of a
rootfs tarball, named NAME, for `ctr image import` (no registry)."""
import hashlib, io, json, sys, tarfile

layer_path, out, name = sys.argv[1:4]
layer = open(layer_path, "rb").read()


def blob(data):
    return "sha256:" + hashlib.sha256(data).hexdigest(), data


layer_d, _ = blob(layer)
config = json.dumps({"architecture": "amd64", "os": "linux",
                     "config": {"Cmd": ["sh"], "Env": ["PATH=/bin"]},
                     "rootfs": {"type": "layers", "diff_ids": [layer_d]}}).encode()
config_d, _ = blob(config)
manifest = json.dumps({"schemaVersion": 2,
                       "mediaType": "application/vnd.oci.image.manifest.v1+json",
                       "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                  "digest": config_d, "size": len(config)},
                       "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar",
                                   "digest": layer_d, "size": len(layer)}]}).encode()
manifest_d, _ = blob(manifest)
index = json.dumps({"schemaVersion": 2, "manifests": [
    {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": manifest_d,
     "size": len(manifest), "annotations": {"io.containerd.image.name": name,
                                            "org.opencontainers.image.ref.name": "1"}}]}).encode()
with tarfile.open(out, "w") as t:
    def add(path, data):
        info = tarfile.TarInfo(path)
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
    add("oci-layout", b'{"imageLayoutVersion": "1.0.0"}')
    add("index.json", index)
    for d, data in ((layer_d, layer), (config_d, config), (manifest_d, manifest)):
        add("blobs/sha256/" + d[7:], data)
