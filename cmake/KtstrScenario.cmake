# Placeholder; replaced below by the real ktstr_add_scenario().
function(ktstr_add_scenario)
endfunction()
