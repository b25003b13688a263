# System libraries ktstr builds on.  Each is a Debian 12 -dev package; the
# message names the package so a missing one is a one-line fix.
find_package(PkgConfig REQUIRED)

function(ktstr_require_pkg var module debpkg)
  pkg_check_modules(${var} IMPORTED_TARGET ${module})
  if(NOT ${var}_FOUND)
    message(FATAL_ERROR "ktstr needs ${module}: install it with `apt-get install ${debpkg}` "
                        "(or run ci/setup.sh, which installs everything ktstr needs)")
  endif()
endfunction()

ktstr_require_pkg(YAML     yaml-0.1     libyaml-dev)
ktstr_require_pkg(JANSSON  jansson      libjansson-dev)
ktstr_require_pkg(ZLIB     zlib         zlib1g-dev)
ktstr_require_pkg(ARCHIVE  libarchive   libarchive-dev)
ktstr_require_pkg(CRYPTO   libcrypto    libssl-dev)
ktstr_require_pkg(CURL     libcurl      libcurl4-openssl-dev)
ktstr_require_pkg(LIBBPF   libbpf       libbpf-dev)
ktstr_require_pkg(LIBELF   libelf       libelf-dev)

# The guest agent is linked statically: it is PID 1 of an initramfs that
# carries no shared libraries.
foreach(lib yaml jansson z)
  find_library(KTSTR_STATIC_${lib} NAMES lib${lib}.a)
  if(NOT KTSTR_STATIC_${lib})
    message(FATAL_ERROR "static lib${lib}.a not found; the guest agent links it statically")
  endif()
endforeach()
