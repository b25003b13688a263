# Warnings are errors for everything we compile.
add_compile_options(-Wall -Wextra -Werror -Wno-unused-parameter -Wshadow
                    -Wformat=2 -Wno-format-nonliteral -Wno-format-truncation -Wstrict-prototypes
                    -Wmissing-prototypes -D_GNU_SOURCE)

# Host-side sanitizer flags; applied per target with ktstr_host_target().
function(ktstr_host_target tgt)
  if(KTSTR_SANITIZE)
    target_compile_options(${tgt} PRIVATE -fsanitize=${KTSTR_SANITIZE} -fno-omit-frame-pointer)
    target_link_options(${tgt} PRIVATE -fsanitize=${KTSTR_SANITIZE})
  endif()
endfunction()
