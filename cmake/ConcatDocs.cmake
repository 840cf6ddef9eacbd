# cmake -DOUT=file.md -DTITLE=... -DINPUTS="a.md;b.md" -P ConcatDocs.cmake
# Joins generated Markdown files under one title.
set(text "<!-- Generated from ODS by the he-docs target; do not edit. -->\n# ${TITLE}\n")
foreach(input IN LISTS INPUTS)
  file(READ "${input}" part)
  string(APPEND text "\n${part}")
endforeach()
file(WRITE "${OUT}" "${text}")
