# Sources of ktstr_kernels; one purpose per file.
set(KTSTR_KERNELS_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/cache_root.c   # where the cache lives
  ${CMAKE_CURRENT_LIST_DIR}/kconfig.c      # CONFIG_ values, fragment hash, sha256
  ${CMAKE_CURRENT_LIST_DIR}/metadata.c     # metadata.json read/validate/write
  ${CMAKE_CURRENT_LIST_DIR}/cache.c        # entry listing, store, removal, sweep
  ${CMAKE_CURRENT_LIST_DIR}/fsutil.c       # rm -rf, write-file helpers
  ${CMAKE_CURRENT_LIST_DIR}/lock.c         # flock + remote-FS refusal
  ${CMAKE_CURRENT_LIST_DIR}/deb.c          # .deb extraction (libarchive)
  ${CMAKE_CURRENT_LIST_DIR}/deb_spec.c     # SPEC -> package names
  ${CMAKE_CURRENT_LIST_DIR}/fetch_deb.c    # apt-get download under private state
  ${CMAKE_CURRENT_LIST_DIR}/discover.c     # the discovery chain
  ${CMAKE_CURRENT_LIST_DIR}/btf.c          # bzImage -> vmlinux -> .BTF
  ${CMAKE_CURRENT_LIST_DIR}/http.c         # libcurl GET, HTML rejection
  ${CMAKE_CURRENT_LIST_DIR}/releases.c     # kernel.org releases.json
  ${CMAKE_CURRENT_LIST_DIR}/tarball.c      # safe source tarball extraction
  ${CMAKE_CURRENT_LIST_DIR}/build.c        # configure + make + cache store
)
