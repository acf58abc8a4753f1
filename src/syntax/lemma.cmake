# lemma.cmake: compile WordNet's base forms and irregular forms (Debian
# wordnet-base) into the lemmatiser's tables at build time (syntax/lemma.h).
# KG_WORDNET_DIR is gazetteer.cmake's cache setting (declared here too, so
# the order the parts are included in does not matter).
set(KG_WORDNET_DIR /usr/share/wordnet CACHE PATH "WordNet 3.0 dict directory")
find_package(Python3 REQUIRED COMPONENTS Interpreter)
if(NOT EXISTS ${KG_WORDNET_DIR}/verb.exc)
  message(FATAL_ERROR "lemmatiser: ${KG_WORDNET_DIR}/verb.exc not found; "
                      "install the Debian package 'wordnet-base' (apt-get install wordnet-base)")
endif()
set(KG_LEMMA_OUT ${CMAKE_BINARY_DIR}/generated/kg_lemma_data.c)
add_custom_command(
  OUTPUT ${KG_LEMMA_OUT}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/generated
  COMMAND Python3::Interpreter ${CMAKE_SOURCE_DIR}/scripts/gen_lemma.py
          ${KG_WORDNET_DIR} ${KG_LEMMA_OUT}
  DEPENDS ${CMAKE_SOURCE_DIR}/scripts/gen_lemma.py
          ${KG_WORDNET_DIR}/index.verb ${KG_WORDNET_DIR}/verb.exc
  COMMENT "Generating lemmatiser tables from WordNet"
  VERBATIM)
target_sources(kgas_core PRIVATE ${KG_LEMMA_OUT})
