# schemas.cmake: embed the tools' JSON Schemas (src/tools/schemas/*.json) in
# the binary at build time (scripts/gen_tool_schemas.py): each file NAME.json
# becomes the C string kg_schema_NAME, declared in kg_tool_schemas.h.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
file(GLOB KG_TOOL_SCHEMAS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/tools/schemas/*.json)
list(SORT KG_TOOL_SCHEMAS)
set(KG_SCHEMAS_C ${CMAKE_BINARY_DIR}/generated/kg_tool_schemas.c)
set(KG_SCHEMAS_H ${CMAKE_BINARY_DIR}/generated/kg_tool_schemas.h)
add_custom_command(
  OUTPUT ${KG_SCHEMAS_C} ${KG_SCHEMAS_H}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/generated
  COMMAND Python3::Interpreter ${CMAKE_SOURCE_DIR}/scripts/gen_tool_schemas.py
          ${KG_SCHEMAS_C} ${KG_SCHEMAS_H} ${KG_TOOL_SCHEMAS}
  DEPENDS ${CMAKE_SOURCE_DIR}/scripts/gen_tool_schemas.py ${KG_TOOL_SCHEMAS}
  COMMENT "Embedding the tools' JSON Schemas"
  VERBATIM)
# The header must exist before any tool source compiles.
add_custom_target(kgas_tool_schemas DEPENDS ${KG_SCHEMAS_C} ${KG_SCHEMAS_H})
add_dependencies(kgas_core kgas_tool_schemas)
target_sources(kgas_core PRIVATE ${KG_SCHEMAS_C})
