# proper_words.cmake: the words WordNet spells only with a capital letter
# (scripts/gen_proper_words.py), for question linking (graph/qphrase).
set(KG_PW_OUT ${CMAKE_BINARY_DIR}/generated/kg_proper_words_data.c)
if(NOT DEFINED KG_WORDNET_DIR)
  set(KG_WORDNET_DIR /usr/share/wordnet CACHE PATH "WordNet 3.0 dict directory")
endif()
find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_custom_command(
  OUTPUT ${KG_PW_OUT}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/generated
  COMMAND Python3::Interpreter ${CMAKE_SOURCE_DIR}/scripts/gen_proper_words.py
          ${KG_WORDNET_DIR} ${KG_PW_OUT}
  DEPENDS ${CMAKE_SOURCE_DIR}/scripts/gen_proper_words.py ${KG_WORDNET_DIR}/data.noun
  COMMENT "Generating the proper-only words from WordNet"
  VERBATIM)
target_sources(kgas_core PRIVATE ${KG_PW_OUT})
