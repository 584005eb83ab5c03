"""Classification assessments: questionnaire, field proposals, levels, the publish gate."""
