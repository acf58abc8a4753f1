# gazetteer.cmake: compile the NER gazetteer (iso-codes + WordNet + hand
# lists in scripts/gen_gazetteer.py) into a generated C table at build time.
set(KG_ISO_JSON_DIR /usr/share/iso-codes/json CACHE PATH "iso-codes JSON directory")
set(KG_WORDNET_DIR /usr/share/wordnet CACHE PATH "WordNet 3.0 dict directory")
if(NOT EXISTS ${KG_ISO_JSON_DIR}/iso_3166-1.json)
  message(FATAL_ERROR "NER gazetteer: ${KG_ISO_JSON_DIR}/iso_3166-1.json not found; "
                      "install the Debian package 'iso-codes' (apt-get install iso-codes)")
endif()
if(NOT EXISTS ${KG_WORDNET_DIR}/data.noun)
  message(FATAL_ERROR "NER gazetteer: ${KG_WORDNET_DIR}/data.noun not found; "
                      "install the Debian package 'wordnet-base' (apt-get install wordnet-base)")
endif()
find_package(Python3 REQUIRED COMPONENTS Interpreter)
set(KG_GZ_OUT ${CMAKE_BINARY_DIR}/generated/kg_gazetteer_data.c)
add_custom_command(
  OUTPUT ${KG_GZ_OUT}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/generated
  COMMAND Python3::Interpreter ${CMAKE_SOURCE_DIR}/scripts/gen_gazetteer.py
          ${KG_ISO_JSON_DIR} ${KG_WORDNET_DIR} ${KG_GZ_OUT}
  DEPENDS ${CMAKE_SOURCE_DIR}/scripts/gen_gazetteer.py
          ${KG_ISO_JSON_DIR}/iso_3166-1.json ${KG_WORDNET_DIR}/data.noun
  COMMENT "Generating NER gazetteer from iso-codes and WordNet"
  VERBATIM)
target_sources(kgas_core PRIVATE ${KG_GZ_OUT})
